package io.imgpress.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Web origins ({@code scheme://host[:port]}, RFC 6454) in one canonical spelling, so an {@code
 * Origin} header, a configured allow-list entry and a base URL compare as plain strings: scheme and
 * host in lower case, the scheme's default port left out.
 */
public final class Origins {

  private Origins() {}

  /**
   * The canonical spelling of an origin as a browser sends it in {@code Origin}: {@code http} or
   * {@code https}, a host, an optional port, and nothing else (no user info, path, query or
   * fragment; a lone trailing slash is not accepted either, since browsers never send one).
   *
   * @return empty for anything else, including {@code null} and the opaque origin {@code "null"}
   */
  public static Optional<String> parse(String origin) {
    if (origin == null || origin.isBlank()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(origin.trim());
      if (uri.getRawUserInfo() != null
          || uri.getHost() == null
          || !uri.getRawPath().isEmpty()
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return Optional.empty();
      }
      return of(uri.getScheme(), uri.getHost(), uri.getPort());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The origin of an absolute {@code http(s)} URL (its path and the rest dropped). */
  public static Optional<String> ofUrl(String url) {
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url.trim());
      return uri.getHost() == null
          ? Optional.empty()
          : of(uri.getScheme(), uri.getHost(), uri.getPort());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The origin of a scheme, host and port as a server sees them ({@code -1}: the default). */
  public static Optional<String> of(String scheme, String host, int port) {
    if (scheme == null || host == null || host.isEmpty()) {
      return Optional.empty();
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    int defaultPort =
        switch (s) {
          case "http" -> 80;
          case "https" -> 443;
          default -> 0;
        };
    if (defaultPort == 0) {
      return Optional.empty();
    }
    String h = host.toLowerCase(Locale.ROOT);
    // An IPv6 literal keeps (or gets) its brackets, as in a URL.
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return Optional.of(s + "://" + h + (port < 0 || port == defaultPort ? "" : ":" + port));
  }
}
