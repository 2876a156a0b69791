package io.imgpress.net;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A list of host patterns from {@code imgpress.fetch.allowed-hosts} or {@code denied-hosts}: an
 * exact host ({@code cdn.example.com}) or every subdomain of one ({@code *.example.com}, which does
 * not match {@code example.com} itself). Hosts and patterns are compared in lower case, in ASCII
 * (punycode) form, without a trailing dot, so {@code CDN.Example.COM.} and an internationalised
 * name written either way meet the same entry. The lists are for names; addresses are the ranges'
 * business ({@link AddressCategory}), where no second spelling of an address can slip past.
 */
final class HostPatterns {

  static final HostPatterns NONE = new HostPatterns(List.of());

  private record Pattern(String host, boolean subdomains) {
    boolean matches(String normalisedHost) {
      return subdomains ? normalisedHost.endsWith("." + host) : normalisedHost.equals(host);
    }
  }

  private final List<Pattern> patterns;

  private HostPatterns(List<Pattern> patterns) {
    this.patterns = patterns;
  }

  /**
   * @throws IllegalArgumentException naming the first entry that is not a pattern
   */
  static HostPatterns of(List<String> entries) {
    return new HostPatterns(
        entries.stream()
            .map(
                entry ->
                    parse(entry)
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    "not a host name or *.domain pattern: \"" + entry + "\"")))
            .toList());
  }

  /** The first entry that is not a host name or {@code *.domain} pattern, if any. */
  static Optional<String> firstInvalid(List<String> entries) {
    return entries.stream().filter(e -> parse(e).isEmpty()).findFirst();
  }

  boolean isEmpty() {
    return patterns.isEmpty();
  }

  boolean matches(String host) {
    String normalised = normalise(host);
    return normalised != null && patterns.stream().anyMatch(p -> p.matches(normalised));
  }

  private static Optional<Pattern> parse(String entry) {
    if (entry == null) {
      return Optional.empty();
    }
    String text = entry.strip();
    boolean subdomains = text.startsWith("*.");
    String host = normalise(subdomains ? text.substring(2) : text);
    if (host == null || host.isEmpty() || host.contains("*") || host.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(new Pattern(host, subdomains));
  }

  /** Lower-case ASCII without a trailing dot; null for what is no host name at all. */
  private static String normalise(String host) {
    String h = host.strip();
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    try {
      // Letters, digits and hyphens only (STD3): no scheme, port, path, user info or space.
      return IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
