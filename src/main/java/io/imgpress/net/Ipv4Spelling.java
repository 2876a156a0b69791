package io.imgpress.net;

import java.net.URI;
import java.util.Locale;

/**
 * Finds IPv4 addresses written so that programs disagree on which address they are.
 *
 * <p>Browsers and curl (the WHATWG URL standard, and {@code inet_aton} before it) take a host whose
 * last label is a number for an IPv4 address, read parts with a leading 0 as octal and parts with
 * 0x as hex, and let fewer than four parts fill the low bytes: {@code 0177.0.0.1}, {@code 0x7f.1}
 * and {@code 017700000001} are all 127.0.0.1. Java reads every part as decimal ({@code 0177.0.0.1}
 * is 177.0.0.1), refuses hex, and takes {@code 127.0.0.1.} for a name. Rather than guess what the
 * writer meant, only the spellings all of them read alike count as plain: four decimal numbers
 * 0-255 without leading zeros, or one decimal number without a leading zero that fits in 32 bits.
 * Any other host that is a number to a browser is ambiguous. Names (a last label that is not a
 * number) are left to resolution.
 */
final class Ipv4Spelling {

  private static final long MAX_ADDRESS = 0xFFFF_FFFFL;

  private Ipv4Spelling() {}

  /** For the host of a URI, also when {@link URI#getHost()} could not make one out. */
  static boolean isAmbiguous(URI uri) {
    String host = hostOf(uri);
    return host != null && isAmbiguous(host);
  }

  /** The host as written in the URI's authority, without user info and port. */
  static String hostOf(URI uri) {
    if (uri.getHost() != null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    if (authority == null) {
      return null;
    }
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /**
   * @param host a host name, an IPv4 literal, or an IPv6 literal with or without brackets
   */
  static boolean isAmbiguous(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') >= 0) {
      // IPv6; an IPv4 address embedded at its end must be plain too. A zone id ("%25eth0" in a
      // URL) is not part of the address: the address before it is judged like any other.
      int zone = h.indexOf('%');
      if (zone >= 0) {
        h = h.substring(0, zone);
      }
      String tail = h.substring(h.lastIndexOf(':') + 1);
      return tail.indexOf('.') >= 0 && !isPlainDottedQuad(tail.split("\\.", -1));
    }
    String[] parts = h.split("\\.", -1);
    if (!endsInNumber(parts)) {
      return false;
    }
    if (parts.length == 1) {
      return !isPlainDecimal(parts[0], MAX_ADDRESS);
    }
    return !isPlainDottedQuad(parts);
  }

  // The URL standard's test for "this host is an IPv4 address", a trailing dot forgiven.
  private static boolean endsInNumber(String[] parts) {
    int last = parts.length - 1;
    if (parts[last].isEmpty() && parts.length > 1) {
      last--;
    }
    String part = parts[last];
    if (!part.isEmpty() && part.chars().allMatch(Ipv4Spelling::isDigit)) {
      return true;
    }
    return part.startsWith("0x")
        && part.substring(2).chars().allMatch(c -> isDigit(c) || (c >= 'a' && c <= 'f'));
  }

  private static boolean isPlainDottedQuad(String[] parts) {
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!isPlainDecimal(part, 255)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlainDecimal(String part, long max) {
    if (part.isEmpty() || part.length() > 10 || !part.chars().allMatch(Ipv4Spelling::isDigit)) {
      return false;
    }
    if (part.length() > 1 && part.charAt(0) == '0') {
      return false;
    }
    return Long.parseLong(part) <= max;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }
}
