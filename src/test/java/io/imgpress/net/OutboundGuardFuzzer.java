package io.imgpress.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Fuzz target (see fuzz/run.sh): a URL and an answer from DNS through the outbound guard, the host
 * patterns and the guarded resolver, whose resolver never touches the network: it answers with
 * addresses taken from the input. The guard may refuse (ForbiddenAddressException,
 * IllegalArgumentException from checkUri with a message for the user, UnknownHostException from the
 * resolver); anything else thrown is a finding. Also: an address the guard lets through is one the
 * resolver returns unchanged, and a host spelled ambiguously never reaches the resolver.
 *
 * <p>Input: the first byte picks how many address bytes follow (0-63, in 4- and 16-byte addresses);
 * the rest is the URL, UTF-8.
 */
public final class OutboundGuardFuzzer {

  private static final OutboundGuard GUARD = new OutboundGuard(false);
  private static final HostPatterns PATTERNS =
      HostPatterns.of(List.of("cdn.example", "*.images.example", "bücher.example"));

  private OutboundGuardFuzzer() {}

  public static void fuzzerTestOneInput(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int addressBytes = Math.min(data[0] & 0x3F, data.length - 1);
    byte[] raw = Arrays.copyOfRange(data, 1, 1 + addressBytes);
    String text = new String(data, 1 + addressBytes, data.length - 1 - addressBytes, UTF_8);

    HostPatterns.firstInvalid(List.of(text));
    PATTERNS.matches(text);
    Ipv4Spelling.isAmbiguous(text);

    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException notAUrl) {
      uri = null;
    }
    if (uri != null) {
      OutboundGuard.hasAmbiguousHost(uri);
      URI plain = OutboundGuard.withoutUserInfo(uri);
      if (plain.getRawUserInfo() != null) {
        throw new IllegalStateException("user info left in " + plain);
      }
      try {
        GUARD.checkUri(uri);
      } catch (ForbiddenAddressException | IllegalArgumentException refused) {
        // refused, with a reason
      }
    }

    String host = uri != null && uri.getHost() != null ? uri.getHost() : text;
    InetAddress[] answer = addresses(host, raw);
    var resolver = new GuardedDnsResolver(GUARD, new Answering(answer));
    try {
      InetAddress[] resolved = resolver.resolve(host);
      if (OutboundGuard.isAmbiguousHost(host)) {
        throw new IllegalStateException("ambiguous host resolved: " + host);
      }
      for (InetAddress address : resolved) {
        if (AddressCategory.of(address) != AddressCategory.PUBLIC) {
          throw new IllegalStateException("let through " + address);
        }
      }
      resolver.resolve(host, 443);
    } catch (ForbiddenAddressException | UnknownHostException refused) {
      // refused, with a reason
    }
  }

  private static final java.nio.charset.Charset UTF_8 = StandardCharsets.UTF_8;

  private static InetAddress[] addresses(String host, byte[] raw) {
    List<InetAddress> out = new java.util.ArrayList<>();
    int pos = 0;
    while (pos < raw.length) {
      int len = (raw[pos] & 1) == 0 && raw.length - pos >= 16 ? 16 : 4;
      if (raw.length - pos < len) {
        break;
      }
      try {
        out.add(InetAddress.getByAddress(host, Arrays.copyOfRange(raw, pos, pos + len)));
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
      pos += len;
    }
    return out.toArray(InetAddress[]::new);
  }

  /** A resolver that answers every name with the same addresses, never asking the network. */
  private record Answering(InetAddress[] answer) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) {
      return answer.clone();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }
}
