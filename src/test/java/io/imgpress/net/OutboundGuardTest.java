package io.imgpress.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {

  private final OutboundGuard strict = new OutboundGuard(false);

  static Stream<Arguments> refused() {
    return Stream.of(
        arguments("127.0.0.1", "loopback"),
        arguments("127.255.255.254", "loopback"),
        arguments("::1", "loopback"),
        arguments("10.0.0.1", "private network"),
        arguments("10.255.255.255", "private network"),
        arguments("172.16.0.1", "private network"),
        arguments("172.31.255.255", "private network"),
        arguments("192.168.1.1", "private network"),
        arguments("fc00::1", "private network"),
        arguments("fd12:3456::1", "private network"),
        arguments("fec0::1", "private network"),
        arguments("169.254.0.1", "link-local"),
        arguments("fe80::1", "link-local"),
        arguments("febf::1", "link-local"),
        arguments("169.254.169.254", "cloud metadata"),
        arguments("fd00:ec2::254", "cloud metadata"),
        arguments("0.0.0.0", "unspecified"),
        arguments("0.1.2.3", "unspecified"),
        arguments("::", "unspecified"),
        arguments("100.64.0.1", "carrier-grade NAT"),
        arguments("100.127.255.255", "carrier-grade NAT"),
        arguments("224.0.0.1", "multicast"),
        arguments("239.255.255.250", "multicast"),
        arguments("ff02::1", "multicast"),
        arguments("255.255.255.255", "broadcast"),
        arguments("240.0.0.1", "reserved"),
        arguments("192.0.0.8", "reserved"),
        arguments("192.0.2.1", "reserved"),
        arguments("198.18.0.1", "reserved"),
        arguments("198.51.100.7", "reserved"),
        arguments("203.0.113.5", "reserved"),
        arguments("2001:db8::1", "reserved"),
        arguments("2001:0:4136:e378::1", "reserved"), // Teredo
        arguments("100::1", "reserved"), // discard prefix
        arguments("1::1", "reserved"), // outside 2000::/3
        // IPv4 embedded in IPv6: judged by the IPv4 address.
        arguments("::ffff:127.0.0.1", "loopback"),
        arguments("::ffff:10.1.2.3", "private network"),
        arguments("::127.0.0.1", "loopback"),
        arguments("::10.0.0.1", "private network"),
        arguments("::2", "unspecified"), // ::0.0.0.2, not a second loopback
        arguments("::0.0.1.1", "unspecified"),
        arguments("::0.0.1.0", "unspecified"),
        arguments("64:ff9b::7f00:1", "loopback"),
        arguments("64:ff9b::a9fe:a9fe", "cloud metadata"),
        arguments("64:ff9b:1::a00:1", "private network"),
        arguments("2002:7f00:1::", "loopback"),
        arguments("2002:c0a8:101::1", "private network"));
  }

  @ParameterizedTest(name = "{0} is refused as {1}")
  @MethodSource("refused")
  void refusesNonPublicAddresses(String literal, String reason) throws UnknownHostException {
    InetAddress address = InetAddress.getByName(literal);

    assertThatThrownBy(() -> strict.checkAddress(address))
        .isInstanceOf(ForbiddenAddressException.class)
        .hasMessage("address %s is not allowed (%s)", address.getHostAddress(), reason)
        .extracting(e -> ((ForbiddenAddressException) e).reason())
        .isEqualTo(reason);
  }

  // Found by fuzzing (fuzz/run.sh guard): a URI without a scheme threw a NullPointerException.
  @Test
  void dropsTheUserInfoOfAUriWithoutAScheme() {
    assertThat(OutboundGuard.withoutUserInfo(URI.create("//a@muple:8")))
        .isEqualTo(URI.create("//muple:8"));
    assertThat(OutboundGuard.withoutUserInfo(URI.create("//u:p@cdn.example/a.jpg?x=1#f")))
        .isEqualTo(URI.create("//cdn.example/a.jpg?x=1#f"));
  }

  @Test
  void theRefusalNamesTheAddressButTellsTheClientOnlyTheHostAndCategory()
      throws UnknownHostException {
    InetAddress address = InetAddress.getByName("10.1.2.3");

    ForbiddenAddressException e =
        catchThrowableOfType(ForbiddenAddressException.class, () -> strict.checkAddress(address));

    assertThat(e.address()).isEqualTo(address);
    assertThat(e.clientMessage("images.example.com"))
        .isEqualTo("address not allowed: images.example.com (private network)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "11.0.0.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "169.253.255.255",
        "192.169.0.1",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2a00:1450:4001::1",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1"
      })
  void allowsPublicAddresses(String literal) throws UnknownHostException {
    InetAddress address = InetAddress.getByName(literal);

    assertThatCode(() -> strict.checkAddress(address)).doesNotThrowAnyException();
  }

  @Test
  void judgesIpv4MappedAddressesKeptInIpv6Form() throws UnknownHostException {
    // InetAddress.getByName turns "::ffff:a.b.c.d" into an Inet4Address; this one stays IPv6.
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    InetAddress loopback = Inet6Address.getByAddress(null, mapped, -1);
    mapped[12] = 8;
    mapped[13] = 8;
    mapped[14] = 8;
    mapped[15] = 8;
    InetAddress google = Inet6Address.getByAddress(null, mapped, -1);

    assertThatThrownBy(() -> strict.checkAddress(loopback))
        .isInstanceOf(ForbiddenAddressException.class)
        .hasMessageEndingWith("(loopback)");
    assertThatCode(() -> strict.checkAddress(google)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0} is allowed with private networks on")
  @MethodSource("refused")
  void allowPrivateNetworksAllowsEverything(String literal, String reason)
      throws UnknownHostException {
    InetAddress address = InetAddress.getByName(literal);

    assertThatCode(() -> new OutboundGuard(true).checkAddress(address)).doesNotThrowAnyException();
  }

  @Test
  void alwaysAllowedPredicateExemptsOnlyWhatItMatches() throws UnknownHostException {
    InetAddress exempt = InetAddress.getByName("127.0.0.1");
    OutboundGuard guard = new OutboundGuard(false, exempt::equals);

    assertThatCode(() -> guard.checkAddress(exempt)).doesNotThrowAnyException();
    assertThatThrownBy(() -> guard.checkAddress(InetAddress.getByName("127.0.0.2")))
        .isInstanceOf(ForbiddenAddressException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://example.com/a.jpg", "https://example.com/", "HTTPS://EX.COM/x"})
  void acceptsHttpAndHttpsUris(String uri) {
    assertThatCode(() -> strict.checkUri(URI.create(uri))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/a.jpg",
        "file:///etc/passwd",
        "gopher://example.com/",
        "jar:http://example.com/a.jar!/x",
        "//example.com/a.jpg",
        "/a.jpg"
      })
  void refusesOtherSchemes(String uri) {
    assertThatThrownBy(() -> strict.checkUri(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only http and https URLs are allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http:///a.jpg", "https:/a.jpg", "http://exa_mple.com/"})
  void refusesUrisWithoutAHost(String uri) {
    assertThatThrownBy(() -> strict.checkUri(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("URL has no valid host");
  }

  /**
   * Browsers and curl read 0-prefixed parts as octal, 0x-prefixed ones as hex and short forms as
   * filling the low bytes; Java reads parts as decimal or not at all. 0177.0.0.1 is 127.0.0.1 to a
   * browser and 177.0.0.1 to Java.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://0177.0.0.1/a.jpg", // octal part
        "http://0x7f.1/a.jpg", // hex, short
        "HTTP://0X7F.0.0.1/a.jpg",
        "http://017700000001/a.jpg", // one octal number
        "http://0x7f000001/a.jpg", // one hex number
        "http://127.000.000.001/a.jpg", // zero-padded
        "http://010.0.0.1/a.jpg",
        "http://1.2.3.04/a.jpg",
        "http://08.0.0.1/a.jpg", // not even valid octal
        "http://00/a.jpg",
        "http://127.1/a.jpg", // short forms
        "http://127.0.1/a.jpg",
        "http://4294967296/a.jpg", // past 32 bits
        "http://256.0.0.1/a.jpg",
        "http://1.2.3.4.5/a.jpg",
        "http://example.0177/a.jpg", // a name ending in a number is an address to a browser
        "http://127.0.0.1./a.jpg", // a trailing dot: an address to a browser, a name to Java
        "http://user@0177.0.0.1:8080/a.jpg",
        "http://[::ffff:0177.0.0.1]/a.jpg" // embedded in IPv6
      })
  void refusesAmbiguousIpv4Spellings(String uri) {
    for (OutboundGuard guard : List.of(strict, new OutboundGuard(true))) {
      assertThatThrownBy(() -> guard.checkUri(URI.create(uri)))
          .isInstanceOf(ForbiddenAddressException.class)
          .hasMessageEndingWith("is not allowed (ambiguous address)")
          .extracting(e -> ((ForbiddenAddressException) e).reason())
          .isEqualTo("ambiguous address");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://8.8.8.8/a.jpg",
        "http://10.0.0.1/a.jpg",
        "http://0.0.0.0/a.jpg",
        "http://2130706433/a.jpg", // one decimal number: read alike by all
        "http://0/a.jpg",
        "http://1e100.net/a.jpg",
        "http://0x7f.example/a.jpg",
        "http://123.example.com/a.jpg",
        "http://[::ffff:127.0.0.1]/a.jpg",
        "http://[2001:db8::1]/a.jpg"
      })
  void leavesPlainSpellingsToTheAddressCheck(String uri) {
    assertThatCode(() -> strict.checkUri(URI.create(uri))).doesNotThrowAnyException();
  }

  @Test
  void ambiguousAddressIsReportedByTheHostAsWritten() {
    assertThatThrownBy(() -> strict.checkUri(URI.create("http://0x7f.1:8080/a.jpg")))
        .isInstanceOfSatisfying(
            ForbiddenAddressException.class,
            e ->
                assertThat(e.clientMessage(null))
                    .isEqualTo("address not allowed: 0x7f.1 (ambiguous address)"));
  }
}
