package io.imgpress.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedDnsResolverTest {

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Answers from a fixed table, so no test depends on real DNS. */
  private record FakeDns(Map<String, InetAddress[]> answers) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      InetAddress[] answer = answers.get(host);
      if (answer == null) {
        throw new UnknownHostException(host);
      }
      return answer;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }

  private final FakeDns dns =
      new FakeDns(
          Map.of(
              "public.test", new InetAddress[] {ip("93.184.216.34"), ip("2606:2800::1")},
              "mixed.test", new InetAddress[] {ip("93.184.216.34"), ip("10.0.0.5")},
              "metadata.test", new InetAddress[] {ip("169.254.169.254")},
              "empty.test", new InetAddress[0]));

  private final GuardedDnsResolver resolver = new GuardedDnsResolver(new OutboundGuard(false), dns);

  @Test
  void returnsAllAddressesWhenAllArePublic() throws UnknownHostException {
    assertThat(resolver.resolve("public.test"))
        .containsExactly(ip("93.184.216.34"), ip("2606:2800::1"));
    assertThat(resolver.resolve("public.test", 8080))
        .containsExactly(
            new InetSocketAddress(ip("93.184.216.34"), 8080),
            new InetSocketAddress(ip("2606:2800::1"), 8080));
  }

  @Test
  void asksTheDelegateForCanonicalNames() throws UnknownHostException {
    DnsResolver canonical =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException(host);
          }

          @Override
          public String resolveCanonicalHostname(String host) {
            return "canonical." + host;
          }
        };

    assertThat(
            new GuardedDnsResolver(new OutboundGuard(false), canonical)
                .resolveCanonicalHostname("cdn.test"))
        .isEqualTo("canonical.cdn.test");
  }

  @Test
  void refusesTheWholeAnswerWhenAnyAddressIsForbidden() {
    // Otherwise the client could fall back to the private address when the public one fails.
    assertThatThrownBy(() -> resolver.resolve("mixed.test"))
        .isInstanceOf(ForbiddenAddressException.class)
        .hasMessage("address 10.0.0.5 is not allowed (private network)");
    assertThatThrownBy(() -> resolver.resolve("metadata.test", 80))
        .isInstanceOf(ForbiddenAddressException.class)
        .hasMessageContaining("cloud metadata");
  }

  @Test
  void emptyAnswerIsUnknownHostNotAnUnresolvedAddress() {
    assertThatThrownBy(() -> resolver.resolve("empty.test", 80))
        .isInstanceOf(UnknownHostException.class);
    assertThatThrownBy(() -> resolver.resolve("nowhere.test"))
        .isInstanceOf(UnknownHostException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "2130706433",
        "0",
        "[::ffff:127.0.0.1]",
        "::ffff:7f00:1",
        "::127.0.0.1",
        "[::1]"
      })
  void oddLoopbackSpellingsAreCaughtOnTheResolvedAddress(String host) {
    GuardedDnsResolver system =
        new GuardedDnsResolver(new OutboundGuard(false), SystemDefaultDnsResolver.INSTANCE);

    assertThatThrownBy(() -> system.resolve(host, 80))
        .isInstanceOf(ForbiddenAddressException.class)
        .hasMessageMatching("address .* is not allowed \\((loopback|unspecified)\\)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0177.0.0.1",
        "017700000001",
        "0x7f.1",
        "127.000.000.001",
        "127.1",
        "::ffff:0177.0.0.1"
      })
  void refusesAmbiguousAddressesWithoutResolvingThem(String host) {
    // The table has no answer for these: resolving them would fail as an unknown host.
    assertThatThrownBy(() -> resolver.resolve(host, 80))
        .isInstanceOf(ForbiddenAddressException.class)
        .hasMessage("address %s is not allowed (ambiguous address)", host);
  }
}
