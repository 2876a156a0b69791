package io.imgpress.processing.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.OutboundGuard;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.support.LoopbackServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

/**
 * The SSRF forms of issue 13 through the real fetch path: the {@link HttpImageFetcher} with its
 * guarded resolver and pool, private networks refused, against a loopback server this test starts.
 * Only 127.0.0.1 stands in for a public origin (the guard's always-allowed address); every other
 * address is judged as in production, and the loopback server must never see a request it should
 * not.
 */
class HostileUrlFetchTest {

  private static final byte[] PNG = "\u0089PNG not really".getBytes(StandardCharsets.UTF_8);

  private LoopbackServer server;
  private final List<HttpImageFetcher> fetchers = new CopyOnWriteArrayList<>();
  private final List<String> lookedUp = new CopyOnWriteArrayList<>();
  private final Map<String, Function<Integer, InetAddress[]>> dns = new ConcurrentHashMap<>();
  private final InetAddress origin = ip("127.0.0.1");

  @BeforeEach
  void start() {
    server = new LoopbackServer();
    server.on(
        "/img",
        ex -> {
          // A new connection for every request, so every request is a new dial and a new lookup.
          ex.getResponseHeaders().set("Connection", "close");
          LoopbackServer.respond(ex, 200, "image/png", PNG);
        });
  }

  @AfterEach
  void stop() throws IOException {
    for (HttpImageFetcher fetcher : fetchers) {
      fetcher.close();
    }
    server.close();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static FetchProperties strict() {
    return new FetchProperties(
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        DataSize.ofMegabytes(1),
        5,
        false,
        4,
        Duration.ofSeconds(30),
        4,
        4);
  }

  /**
   * Names answer from {@link #dns} (given how many times the name was asked before); IP literals go
   * to the system resolver as in production; any other name is unknown, never the real network.
   */
  private final DnsResolver resolver =
      new DnsResolver() {
        private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
          lookedUp.add(host);
          Function<Integer, InetAddress[]> answer = dns.get(host);
          if (answer != null) {
            return answer.apply(
                asked.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement());
          }
          if (host.indexOf(':') >= 0
              || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return SystemDefaultDnsResolver.INSTANCE.resolve(host);
          }
          throw new UnknownHostException(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
          return host;
        }
      };

  private HttpImageFetcher fetcher(FetchProperties properties) {
    HttpImageFetcher fetcher =
        new HttpImageFetcher(properties, new OutboundGuard(false, origin::equals), resolver);
    fetchers.add(fetcher);
    return fetcher;
  }

  private static ImageFailureException failure(HttpImageFetcher fetcher, String uri) {
    Throwable thrown = catchThrowable(() -> fetcher.fetch(URI.create(uri)));
    assertThat(thrown).as(uri).isInstanceOf(ImageFailureException.class);
    return (ImageFailureException) thrown;
  }

  private String at(String template) {
    return template.formatted(server.port());
  }

  private void assertRefused(ImageFailureException failure, String message) {
    assertThat(failure).hasMessage(message);
    assertThat(failure.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
    assertThat(failure.isRetryable()).isFalse();
    assertThat(server.requests()).isZero();
  }

  // --- userinfo ---

  @Test
  void userInfoThatNamesAGoodHostDoesNotHideALoopbackHost() {
    ImageFailureException failure =
        failure(fetcher(strict()), at("http://good.example@127.0.0.2:%d/img"));

    assertRefused(failure, "address not allowed: 127.0.0.2 (loopback)");
    assertThat(lookedUp).doesNotContain("good.example");
  }

  @Test
  void userInfoThatLooksLikeAnAddressIsNotWhereTheRequestGoes() {
    // good.example is the host; "127.0.0.2" is only a user name, and is never sent.
    dns.put("good.example", n -> new InetAddress[] {origin});
    List<String> authorizations = new CopyOnWriteArrayList<>();
    List<String> hosts = new CopyOnWriteArrayList<>();
    server.on(
        "/who",
        ex -> {
          authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          hosts.add(ex.getRequestHeaders().getFirst("Host"));
          LoopbackServer.respond(ex, 200, "image/png", PNG);
        });

    var image = fetcher(strict()).fetch(URI.create(at("http://127.0.0.2@good.example:%d/who")));

    assertThat(image.bytes()).isEqualTo(PNG);
    assertThat(lookedUp).containsExactly("good.example");
    assertThat(hosts).containsExactly(at("good.example:%d"));
    assertThat(authorizations).containsExactly("null");
  }

  @Test
  void userInfoWithAPasswordAndAnAtSignInItIsStillJudgedByTheRealHost() {
    ImageFailureException failure =
        failure(fetcher(strict()), at("http://good.example:80%%40x@127.0.0.2:%d/img"));

    assertRefused(failure, "address not allowed: 127.0.0.2 (loopback)");
  }

  // --- IPv6 zone ids ---

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://[fe80::1%%25eth0]:%d/img | fe80::1%25eth0 | link-local",
        "http://[fe80::1%%251]:%d/img | fe80::1%251 | link-local",
        "http://[::1%%25lo]:%d/img | ::1%25lo | loopback",
        "http://[::ffff:127.0.0.2%%25lo]:%d/img | ::ffff:127.0.0.2%25lo | loopback"
      })
  void anIpv6ZoneIdIsRefusedWithTheAddressItsCategory(String template, String host, String why) {
    ImageFailureException failure = failure(fetcher(strict()), at(template));

    assertRefused(failure, "address not allowed: [" + host + "] (" + why + ")");
  }

  // --- IPv6 forms that carry or stand for a non-public address ---

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "64:ff9b::7f00:1 | loopback", // NAT64 well-known prefix, 127.0.0.1
        "64:ff9b::a9fe:a9fe | cloud metadata", // NAT64, 169.254.169.254
        "64:ff9b::c0a8:101 | private network", // NAT64, 192.168.1.1
        "64:ff9b:1::a00:1 | private network", // local-use NAT64 64:ff9b:1::/48
        "64:ff9b:1:ffff::7f00:1 | loopback",
        "fc00::1 | private network", // ULA
        "fdff:ffff::1 | private network",
        "fd00:ec2::254 | cloud metadata",
        "::ffff:7f00:2 | loopback", // IPv4-mapped
        "::ffff:a9fe:a9fe | cloud metadata",
        "::7f00:2 | loopback", // IPv4-compatible
        "::a00:1 | private network",
        "2002:7f00:1::1 | loopback", // 6to4 of 127.0.0.1
        "2002:a00:1::1 | private network", // 6to4 of 10.0.0.1
        "2002:a9fe:a9fe::1 | cloud metadata",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | reserved", // Teredo
        "2001::80:7f00:1 | reserved", // Teredo with 127.0.0.1 as its server
        "fe80::1 | link-local",
        "fec0::1 | private network",
        "::1 | loopback",
        ":: | unspecified"
      })
  void ipv6FormsAreJudgedByWhereTheyLead(String literal, String why) {
    String host = "[" + literal + "]";
    HttpImageFetcher fetcher = fetcher(strict());

    assertRefused(
        failure(fetcher, "http://" + host + at(":%d/img")),
        "address not allowed: " + host + " (" + why + ")");
    // The same address as a DNS answer (a DNS64 resolver, say): judged alike.
    dns.put("v6.example", n -> new InetAddress[] {ip(literal)});
    assertRefused(
        failure(fetcher, at("http://v6.example:%d/img")),
        "address not allowed: v6.example (" + why + ")");
  }

  // --- spellings of IPv4 (already refused as ambiguous; here through a redirect hop as well) ---

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://0177.0.0.1:%d/img | 0177.0.0.1 | ambiguous address",
        "http://0x7f.1:%d/img | 0x7f.1 | ambiguous address",
        "http://0x7f000001:%d/img | 0x7f000001 | ambiguous address",
        "http://017700000001:%d/img | 017700000001 | ambiguous address",
        "http://127.1:%d/img | 127.1 | ambiguous address",
        "http://2130706434:%d/img | 2130706434 | loopback" // 127.0.0.2, one decimal number
      })
  void ipv4SpellingsAreRefusedWhetherFirstOrAfterARedirect(String template, String host, String why)
      throws IOException {
    dns.put("origin.test", n -> new InetAddress[] {origin});
    server.on(
        "/go",
        ex -> {
          ex.getResponseHeaders().set("Location", at(template));
          ex.sendResponseHeaders(302, -1);
        });
    HttpImageFetcher fetcher = fetcher(strict());

    assertRefused(
        failure(fetcher, at(template)), "address not allowed: " + host + " (" + why + ")");
    ImageFailureException afterRedirect = failure(fetcher, at("http://origin.test:%d/go"));
    assertThat(afterRedirect).hasMessage("address not allowed: " + host + " (" + why + ")");
    assertThat(server.requests()).isEqualTo(1); // the redirect only
  }

  // --- DNS rebinding ---

  /**
   * A name that answers a public address first and a private one next: the check is on the address
   * each dial actually uses, so the second connection is refused and never made. A second listener
   * on 127.0.0.2 (the "private" address), same port, proves no connection reaches it.
   */
  @Test
  void aNameThatRebindsToAPrivateAddressIsRefusedAtTheNextDial() throws Exception {
    dns.put("rebind.example", n -> new InetAddress[] {n == 0 ? origin : ip("127.0.0.2")});
    server.on(
        "/go",
        ex -> {
          ex.getResponseHeaders().set("Connection", "close");
          ex.getResponseHeaders().set("Location", "/img");
          ex.sendResponseHeaders(302, -1);
        });
    try (ServerSocket inside = new ServerSocket()) {
      inside.bind(new InetSocketAddress(ip("127.0.0.2"), server.port()));
      inside.setSoTimeout(200);

      ImageFailureException failure = failure(fetcher(strict()), at("http://rebind.example:%d/go"));

      assertThat(failure).hasMessage("address not allowed: rebind.example (loopback)");
      assertThat(failure.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
      assertThat(server.requests()).isEqualTo(1); // the first answer's redirect only
      assertThat(lookedUp).containsExactly("rebind.example", "rebind.example");
      assertThat(catchThrowable(() -> accept(inside)))
          .as("no connection to the private address")
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aRebindingNameIsRefusedOnTheNextDownloadToo() throws Exception {
    dns.put("rebind.example", n -> new InetAddress[] {n == 0 ? origin : ip("10.0.0.7")});
    HttpImageFetcher fetcher = fetcher(strict());

    assertThat(fetcher.fetch(URI.create(at("http://rebind.example:%d/img"))).bytes())
        .isEqualTo(PNG);
    ImageFailureException failure = failure(fetcher, at("http://rebind.example:%d/img"));

    assertThat(failure).hasMessage("address not allowed: rebind.example (private network)");
    assertThat(server.requests()).isEqualTo(1);
  }

  private static void accept(ServerSocket socket) throws IOException {
    try (Socket ignored = socket.accept()) {
      // reaching here is the failure the caller asserts against
    }
  }

  @Test
  void allowPrivateNetworksStillReachesLoopbackForTrustedSetups() {
    FetchProperties open =
        new FetchProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            DataSize.ofMegabytes(1),
            5,
            true,
            4,
            Duration.ofSeconds(30),
            4,
            4);
    HttpImageFetcher fetcher = new HttpImageFetcher(open, new OutboundGuard(true), resolver);
    fetchers.add(fetcher);

    assertThat(fetcher.fetch(URI.create(at("http://127.0.0.1:%d/img"))).bytes()).isEqualTo(PNG);
    assertThat(fetcher.fetch(URI.create(at("http://good@127.0.0.1:%d/img"))).bytes())
        .isEqualTo(PNG);
  }

  // --- host lists ---

  static FetchProperties withHosts(List<String> allowed, List<String> denied) {
    FetchProperties v = strict();
    return new FetchProperties(
        v.connectTimeout(),
        v.readTimeout(),
        v.maxBytes(),
        v.maxRedirects(),
        v.allowPrivateNetworks(),
        v.maxConnections(),
        v.totalTimeout(),
        v.maxConcurrent(),
        v.maxConcurrentPerHost(),
        "",
        allowed,
        denied);
  }

  private HttpImageFetcher listed(FetchProperties properties) {
    for (String name :
        List.of(
            "cdn.example.com",
            "img.cdn.example.com",
            "example.com",
            "evil.example",
            "a.evil.example",
            "xn--bcher-kva.example",
            "other.example")) {
      dns.put(name, n -> new InetAddress[] {origin});
    }
    HttpImageFetcher fetcher =
        new HttpImageFetcher(
            properties,
            OutboundGuard.forSources(properties).alsoAllowing(origin::equals),
            resolver);
    fetchers.add(fetcher);
    return fetcher;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "evil.example | evil.example",
        "EVIL.Example | evil.example",
        "evil.example. | evil.example",
        "*.evil.example | a.evil.example",
        "bücher.example | xn--bcher-kva.example",
        "*.Example.COM | img.cdn.example.com"
      })
  void aDeniedHostFailsPermanentlyNamingTheHostAndTheSetting(String pattern, String host) {
    HttpImageFetcher fetcher = listed(withHosts(List.of(), List.of(pattern)));

    ImageFailureException failure = failure(fetcher, "http://" + host + at(":%d/img"));

    assertRefused(failure, "host not allowed: " + host + " (in imgpress.fetch.denied-hosts)");
    assertThat(lookedUp).isEmpty(); // refused by name, before any lookup
    // Trailing dot and case do not slip past either.
    assertRefused(
        failure(fetcher, "http://" + host.toUpperCase(java.util.Locale.ROOT) + at(".:%d/img")),
        "host not allowed: "
            + host.toUpperCase(java.util.Locale.ROOT)
            + ". (in imgpress.fetch.denied-hosts)");
  }

  @Test
  void aSubdomainPatternDoesNotDenyTheDomainItself() {
    HttpImageFetcher fetcher = listed(withHosts(List.of(), List.of("*.evil.example")));

    assertThat(fetcher.fetch(URI.create(at("http://evil.example:%d/img"))).bytes()).isEqualTo(PNG);
  }

  @Test
  void theAllowListLetsOnlyItsHostsThroughAndChecksEveryRedirect() {
    server.on(
        "/go",
        ex -> {
          ex.getResponseHeaders().set("Location", at("http://other.example:%d/img"));
          ex.sendResponseHeaders(302, -1);
        });
    HttpImageFetcher fetcher =
        listed(withHosts(List.of("cdn.example.com", "*.cdn.example.com"), List.of()));

    assertThat(fetcher.fetch(URI.create(at("http://cdn.example.com:%d/img"))).bytes())
        .isEqualTo(PNG);
    assertThat(fetcher.fetch(URI.create(at("http://img.cdn.example.com:%d/img"))).bytes())
        .isEqualTo(PNG);
    ImageFailureException unlisted = failure(fetcher, at("http://example.com:%d/img"));
    assertThat(unlisted)
        .hasMessage("host not allowed: example.com (not in imgpress.fetch.allowed-hosts)");
    assertThat(unlisted.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
    assertThat(unlisted.isRetryable()).isFalse();
    ImageFailureException redirected = failure(fetcher, at("http://cdn.example.com:%d/go"));
    assertThat(redirected)
        .hasMessage("host not allowed: other.example (not in imgpress.fetch.allowed-hosts)");
    assertThat(server.requests()).isEqualTo(3); // two images and the redirect
    assertThat(lookedUp).doesNotContain("example.com", "other.example");
  }

  @Test
  void theDenyListWinsOverTheAllowList() {
    HttpImageFetcher fetcher =
        listed(withHosts(List.of("*.cdn.example.com"), List.of("img.cdn.example.com")));

    assertThat(failure(fetcher, at("http://img.cdn.example.com:%d/img")))
        .hasMessage("host not allowed: img.cdn.example.com (in imgpress.fetch.denied-hosts)");
  }

  @Test
  void anAllowedHostIsStillJudgedByItsAddress() {
    HttpImageFetcher fetcher = listed(withHosts(List.of("cdn.example.com"), List.of()));
    dns.put("cdn.example.com", n -> new InetAddress[] {ip("10.0.0.8")});

    assertRefused(
        failure(fetcher, at("http://cdn.example.com:%d/img")),
        "address not allowed: cdn.example.com (private network)");
  }
}
