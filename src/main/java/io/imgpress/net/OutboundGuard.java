package io.imgpress.net;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides where the service may connect to on a user's behalf (SSRF protection).
 *
 * <p>Addresses are checked after resolution, on the very addresses the socket connects to (see
 * {@link OutboundHttpClients}), so odd spellings of IP literals and DNS rebinding cannot slip past
 * a check done on the host name.
 */
public final class OutboundGuard {

  static final String ALLOWED_HOSTS = "imgpress.fetch.allowed-hosts";
  static final String DENIED_HOSTS = "imgpress.fetch.denied-hosts";

  private final boolean allowPrivateNetworks;
  private final Predicate<InetAddress> alwaysAllowed;
  private final HostPatterns allowedHosts;
  private final HostPatterns deniedHosts;

  public OutboundGuard(boolean allowPrivateNetworks) {
    this(allowPrivateNetworks, address -> false);
  }

  private OutboundGuard(
      boolean allowPrivateNetworks,
      Predicate<InetAddress> alwaysAllowed,
      HostPatterns allowedHosts,
      HostPatterns deniedHosts) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    this.alwaysAllowed = Objects.requireNonNull(alwaysAllowed);
    this.allowedHosts = allowedHosts;
    this.deniedHosts = deniedHosts;
  }

  /**
   * For source images: the address ranges, and both host lists ({@code allowed-hosts} and {@code
   * denied-hosts}).
   */
  public static OutboundGuard forSources(FetchProperties fetch) {
    return new OutboundGuard(
        fetch.allowPrivateNetworks(),
        address -> false,
        HostPatterns.of(fetch.allowedHosts()),
        HostPatterns.of(fetch.deniedHosts()));
  }

  /**
   * For webhook receivers: the address ranges and {@code denied-hosts}, since a delivery is an
   * outbound request like a download. Not {@code allowed-hosts}: that lists where images come from,
   * and receivers are the clients' own servers, elsewhere.
   */
  public static OutboundGuard forWebhooks(FetchProperties fetch) {
    return new OutboundGuard(
        fetch.allowPrivateNetworks(),
        address -> false,
        HostPatterns.NONE,
        HostPatterns.of(fetch.deniedHosts()));
  }

  /** This guard, also letting these addresses through; for tests that stand in for the internet. */
  public OutboundGuard alsoAllowing(Predicate<InetAddress> addresses) {
    return new OutboundGuard(
        allowPrivateNetworks, alwaysAllowed.or(addresses), allowedHosts, deniedHosts);
  }

  /**
   * @param alwaysAllowed addresses let through even when private networks are refused; meant for
   *     tests and for an explicit allow-list, never derived from user input
   */
  public OutboundGuard(boolean allowPrivateNetworks, Predicate<InetAddress> alwaysAllowed) {
    this(allowPrivateNetworks, alwaysAllowed, HostPatterns.NONE, HostPatterns.NONE);
  }

  /**
   * @throws ForbiddenAddressException unless the address is public or private networks are allowed
   */
  public void checkAddress(InetAddress address) {
    if (allowPrivateNetworks || alwaysAllowed.test(address)) {
      return;
    }
    AddressCategory category = AddressCategory.of(address);
    if (category != AddressCategory.PUBLIC) {
      throw new ForbiddenAddressException(address, category.description());
    }
  }

  /**
   * Checks what can be checked before any connection: the scheme, that the host is not an IPv4
   * address in an ambiguous spelling (see {@link #hasAmbiguousHost}), and that there is a host. The
   * host's addresses are checked at connect time.
   *
   * @throws IllegalArgumentException with a message fit to show to the user
   * @throws ForbiddenAddressException for an ambiguous address, whether or not private networks are
   *     allowed: it is refused for how it is written, not for where it leads; or for a host the
   *     host lists refuse (see {@link #checkHost})
   */
  public void checkUri(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("only http and https URLs are allowed");
    }
    if (Ipv4Spelling.isAmbiguous(uri)) {
      throw ForbiddenAddressException.ambiguous(Ipv4Spelling.hostOf(uri));
    }
    // java.net.URI leaves the host null for authorities it cannot parse as a host name or an IP
    // literal (e.g. "127.1", "0x7f.1"); refusing those avoids guessing how a resolver reads them.
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("URL has no valid host");
    }
    checkHost(uri.getHost());
  }

  /**
   * Checks a host by name against {@code denied-hosts} (which wins) and, when it is not empty,
   * {@code allowed-hosts}; whether or not private networks are allowed, as these lists are the
   * operator's word about names. Called on the first URL and on every redirect's.
   *
   * @throws ForbiddenAddressException naming the host and the setting
   */
  public void checkHost(String host) {
    if (deniedHosts.matches(host)) {
      throw ForbiddenAddressException.host(host, "in " + DENIED_HOSTS);
    }
    if (!allowedHosts.isEmpty() && !allowedHosts.matches(host)) {
      throw ForbiddenAddressException.host(host, "not in " + ALLOWED_HOSTS);
    }
  }

  /**
   * The URI without its user info ({@code user:password@}), which is never sent: it is the classic
   * way to make a URL look as if it went to one host ({@code http://good.example@10.0.0.1/}) while
   * it goes to another, HttpClient refuses to send it anyway, and credentials have no business in a
   * URL shared in a CSV. The host after the last {@code @} is where the request goes, and what the
   * guard judges.
   */
  public static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null || uri.getHost() == null) {
      return uri;
    }
    String authority = uri.getRawAuthority();
    // A relative "//user@host/" has no scheme (found by fuzzing: it threw a NullPointerException).
    StringBuilder plain = new StringBuilder();
    if (uri.getScheme() != null) {
      plain.append(uri.getScheme()).append(':');
    }
    plain.append("//").append(authority, authority.lastIndexOf('@') + 1, authority.length());
    if (uri.getRawPath() != null) {
      plain.append(uri.getRawPath());
    }
    if (uri.getRawQuery() != null) {
      plain.append('?').append(uri.getRawQuery());
    }
    if (uri.getRawFragment() != null) {
      plain.append('#').append(uri.getRawFragment());
    }
    return URI.create(plain.toString());
  }

  /**
   * Whether the URI's host is an IPv4 address written so that browsers and curl read one address
   * and Java another: parts with leading zeros (octal to a browser, decimal to Java), hex parts,
   * fewer than four parts, or a number out of range, as in {@code 0177.0.0.1}, {@code 0x7f.1} or
   * {@code 017700000001}. Four decimal numbers 0-255 without leading zeros, and a single decimal
   * number, are read alike by all and are not ambiguous. Such hosts are refused, not guessed at.
   */
  public static boolean hasAmbiguousHost(URI uri) {
    return Ipv4Spelling.isAmbiguous(uri);
  }

  /** The same test on a host name as a resolver is given it. */
  static boolean isAmbiguousHost(String host) {
    return Ipv4Spelling.isAmbiguous(host);
  }
}
