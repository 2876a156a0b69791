package io.imgpress.intake;

import io.imgpress.net.OutboundGuard;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits and checks an "Input Image Urls" cell. Only absolute http(s) URLs with a host, no longer
 * than the limit, pass: anything else could not be downloaded or stored, or could reach places it
 * must not (file:, javascript:).
 */
final class ImageUrls {

  // Line breaks count as separators too: a URL cannot contain one, and people paste lists so.
  private static final Pattern SEPARATOR = Pattern.compile("[,\\r\\n]");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  /** Said of a URL or field whose host is an IPv4 address that programs read differently. */
  static final String AMBIGUOUS_ADDRESS =
      " has an ambiguous address: write an IPv4 address as four decimal numbers 0-255 without"
          + " leading zeros";

  private ImageUrls() {}

  static List<String> split(String cell) {
    return Arrays.stream(SEPARATOR.split(cell))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Why the URL is unusable, or {@code null} if it is fine. */
  static String problem(String url, int maxLength) {
    String quoted = "URL " + Quote.of(url);
    // Checked first: parsing a huge value is wasted work, and its length is what is wrong.
    if (url.length() > maxLength) {
      return quoted + " is longer than " + maxLength + " characters";
    }
    if (WHITESPACE.matcher(url).find()) {
      return quoted + " contains whitespace";
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return quoted + " is not a valid URL";
    }
    if (!uri.isAbsolute()) {
      return quoted + " is not absolute";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return quoted + " is not http(s)";
    }
    if (OutboundGuard.hasAmbiguousHost(uri)) {
      return quoted + AMBIGUOUS_ADDRESS;
    }
    if (uri.getHost() == null) {
      return quoted + " has no valid host";
    }
    return null;
  }
}
