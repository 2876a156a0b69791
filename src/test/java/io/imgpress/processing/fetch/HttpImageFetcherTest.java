package io.imgpress.processing.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.OutboundGuard;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.imgpress.support.LoopbackServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

class HttpImageFetcherTest {

  private static final byte[] PNG_BYTES = "\u0089PNG not really".getBytes(StandardCharsets.UTF_8);
  private static final DataSize ONE_MB = DataSize.ofMegabytes(1);

  private LoopbackServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new LoopbackServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static FetchProperties properties(Duration readTimeout, int maxRedirects, int pool) {
    return properties(readTimeout, maxRedirects, pool, true);
  }

  private static FetchProperties properties(
      Duration readTimeout, int maxRedirects, int pool, boolean allowPrivateNetworks) {
    return new FetchProperties(
        Duration.ofSeconds(2),
        readTimeout,
        ONE_MB,
        maxRedirects,
        allowPrivateNetworks,
        pool,
        Duration.ofSeconds(30));
  }

  /** Private networks allowed, since the test server is on loopback. */
  private static HttpImageFetcher permissive(FetchProperties properties) {
    return new HttpImageFetcher(
        properties, new OutboundGuard(true), SystemDefaultDnsResolver.INSTANCE);
  }

  private static HttpImageFetcher permissive() {
    return permissive(properties(Duration.ofSeconds(5), 5, 4));
  }

  private static ImageFailureException failure(HttpImageFetcher fetcher, URI uri) {
    Throwable thrown = catchThrowable(() -> fetcher.fetch(uri));
    assertThat(thrown).isInstanceOf(ImageFailureException.class);
    return (ImageFailureException) thrown;
  }

  private void respond(String path, int status, byte[] body, String contentType) {
    server.on(
        path,
        exchange -> {
          if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
          }
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
        });
  }

  private void redirect(String path, int status, String location) {
    server.on(
        path,
        exchange -> {
          exchange.getResponseHeaders().add("Location", location);
          exchange.sendResponseHeaders(status, -1);
        });
  }

  /** Sends {@code total} bytes with chunked encoding, as fast as the client takes them. */
  private void stream(String path, long total, AtomicLong written, CountDownLatch done) {
    server.on(
        path,
        exchange -> {
          byte[] chunk = new byte[64 * 1024];
          try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            while (written.get() < total) {
              out.write(chunk);
              written.addAndGet(chunk.length);
            }
            out.close();
          } catch (IOException e) {
            // The client hung up: what these tests expect when the cap is hit.
          } finally {
            done.countDown();
          }
        });
  }

  @Test
  void returnsBodyContentTypeAndUri() throws IOException {
    respond("/img.png", 200, PNG_BYTES, "image/png");

    try (HttpImageFetcher fetcher = permissive()) {
      FetchedImage image = fetcher.fetch(server.uri("/img.png"));

      assertThat(image.bytes()).isEqualTo(PNG_BYTES);
      assertThat(image.contentType()).isEqualTo("image/png");
      assertThat(image.finalUri()).isEqualTo(server.uri("/img.png"));
    }
  }

  @Test
  void contentTypeIsNullWhenTheServerSendsNone() throws IOException {
    respond("/img", 200, PNG_BYTES, null);

    try (HttpImageFetcher fetcher = permissive()) {
      assertThat(fetcher.fetch(server.uri("/img")).contentType()).isNull();
    }
  }

  @ParameterizedTest(name = "HTTP {0} retryable={1}")
  @CsvSource({
    "404, false",
    "400, false",
    "403, false",
    "410, false",
    "429, true",
    "500, true",
    "503, true"
  })
  void errorStatusesFailWithTheStatusCode(int status, boolean retryable) throws IOException {
    respond("/x", status, "nope".getBytes(StandardCharsets.UTF_8), "text/plain");

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, server.uri("/x"));

      assertThat(failure).hasMessage("HTTP " + status + " from source");
      assertThat(failure.isRetryable()).isEqualTo(retryable);
    }
  }

  @Test
  void followsAChainOfThreeRedirects() throws IOException {
    redirect("/r1", 301, "r2"); // relative to /r1
    redirect("/r2", 303, server.uri("/r3").toString()); // absolute
    redirect("/r3", 307, "/final?x=1"); // absolute path
    respond("/final", 200, PNG_BYTES, "image/png");

    try (HttpImageFetcher fetcher = permissive()) {
      FetchedImage image = fetcher.fetch(server.uri("/r1"));

      assertThat(image.finalUri()).isEqualTo(server.uri("/final?x=1"));
      assertThat(image.bytes()).isEqualTo(PNG_BYTES);
      assertThat(server.requests()).isEqualTo(4);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void followsEveryRedirectStatus(int status) throws IOException {
    redirect("/from", status, "/to");
    respond("/to", 200, PNG_BYTES, "image/png");

    try (HttpImageFetcher fetcher = permissive()) {
      assertThat(fetcher.fetch(server.uri("/from")).finalUri()).isEqualTo(server.uri("/to"));
    }
  }

  @Test
  void redirectLoopFailsAfterMaxRedirects() throws IOException {
    redirect("/loop", 302, "/loop");

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, server.uri("/loop"));

      assertThat(failure).hasMessage("too many redirects (more than 5)");
      assertThat(failure.isRetryable()).isFalse();
      assertThat(server.requests()).isEqualTo(6); // the first request and 5 redirects
    }
  }

  @Test
  void maxRedirectsIsTheNumberOfRedirectsFollowed() throws IOException {
    redirect("/c0", 302, "/c1");
    redirect("/c1", 302, "/c2");
    respond("/c2", 200, PNG_BYTES, "image/png");

    try (HttpImageFetcher two = permissive(properties(Duration.ofSeconds(5), 2, 4));
        HttpImageFetcher one = permissive(properties(Duration.ofSeconds(5), 1, 4))) {
      assertThat(two.fetch(server.uri("/c0")).finalUri()).isEqualTo(server.uri("/c2"));
      assertThat(failure(one, server.uri("/c0"))).hasMessage("too many redirects (more than 1)");
    }
  }

  @Test
  void redirectWithoutLocationFailsPermanently() throws IOException {
    respond("/r", 302, new byte[0], null);

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, server.uri("/r"));

      assertThat(failure).hasMessage("HTTP 302 redirect without a Location");
      assertThat(failure.isRetryable()).isFalse();
    }
  }

  @Test
  void unparsableRedirectLocationFailsPermanently() throws IOException {
    redirect("/r", 302, "http://exa mple.com/<img>");

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, server.uri("/r"));

      assertThat(failure).hasMessage("invalid redirect location");
      assertThat(failure.isRetryable()).isFalse();
    }
  }

  @Test
  void redirectToAnotherSchemeIsRefused() throws IOException {
    redirect("/r", 302, "file:///etc/passwd");

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, server.uri("/r"));

      assertThat(failure).hasMessage("only http and https URLs are allowed");
      assertThat(failure.isRetryable()).isFalse();
    }
  }

  @Test
  void refusesOversizedBodyFromContentLength() throws IOException {
    respond("/big", 200, new byte[(int) ONE_MB.toBytes() + 1], "image/jpeg");

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, server.uri("/big"));

      assertThat(failure).hasMessage("image larger than 1 MB");
      assertThat(failure.isRetryable()).isFalse();
    }
  }

  @Test
  void acceptsABodyOfExactlyMaxBytesWithoutContentLength() throws IOException {
    AtomicLong written = new AtomicLong();
    stream("/exact", ONE_MB.toBytes(), written, new CountDownLatch(1));

    try (HttpImageFetcher fetcher = permissive()) {
      assertThat(fetcher.fetch(server.uri("/exact")).bytes()).hasSize((int) ONE_MB.toBytes());
    }
  }

  @Test
  void stopsReadingAnOversizedChunkedBodyAtTheCap() throws Exception {
    AtomicLong written = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long hundredMb = DataSize.ofMegabytes(100).toBytes();
    stream("/huge", hundredMb, written, done);

    try (HttpImageFetcher fetcher = permissive()) {
      long start = System.nanoTime();
      ImageFailureException failure = failure(fetcher, server.uri("/huge"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(failure).hasMessage("image larger than 1 MB");
      assertThat(failure.isRetryable()).isFalse();
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      // The server's writes fail once the client drops the connection; only what fit in the
      // socket buffers was sent beyond the cap.
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(written.get()).isLessThan(DataSize.ofMegabytes(20).toBytes());
    }
  }

  @Test
  void slowResponseIsARetryableReadTimeout() throws IOException {
    server.on("/slow", exchange -> sleep(3_000));

    try (HttpImageFetcher fetcher = permissive(properties(Duration.ofMillis(300), 5, 4))) {
      long start = System.nanoTime();
      ImageFailureException failure = failure(fetcher, server.uri("/slow"));

      assertThat(failure).hasMessage("read timed out");
      assertThat(failure.isRetryable()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void sourceThatDripsBytesIsCutOffAtTheTotalTimeout() throws IOException {
    AtomicBoolean clientGone = new AtomicBoolean();
    server.on(
        "/drip",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          try {
            for (int i = 0; i < 1000; i++) {
              exchange.getResponseBody().write(1);
              exchange.getResponseBody().flush();
              sleep(50); // well within the read timeout, for ever in total
            }
          } catch (IOException e) {
            clientGone.set(true);
          }
        });
    FetchProperties properties =
        new FetchProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            ONE_MB,
            5,
            true,
            4,
            Duration.ofMillis(700));

    try (HttpImageFetcher fetcher = permissive(properties)) {
      long start = System.nanoTime();
      ImageFailureException failure = failure(fetcher, server.uri("/drip"));

      assertThat(failure).hasMessage("download took longer than 700 ms");
      assertThat(failure.isRetryable()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void bodyThatStallsIsARetryableReadTimeout() throws IOException {
    server.on(
        "/stall",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          exchange.getResponseBody().write(new byte[10]);
          exchange.getResponseBody().flush();
          sleep(3_000);
        });

    try (HttpImageFetcher fetcher = permissive(properties(Duration.ofMillis(300), 5, 4))) {
      long start = System.nanoTime();
      ImageFailureException failure = failure(fetcher, server.uri("/stall"));

      assertThat(failure).hasMessage("read timed out");
      assertThat(failure.isRetryable()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void closedPortIsARetryableConnectionRefused() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }

    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure =
          failure(fetcher, URI.create("http://127.0.0.1:" + closedPort + "/x"));

      assertThat(failure).hasMessage("connection refused");
      assertThat(failure.isRetryable()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://127.0.0.1/x.jpg", "file:///etc/passwd", "data:image/png,abc"})
  void otherSchemesFailPermanently(String uri) throws IOException {
    try (HttpImageFetcher fetcher = permissive()) {
      ImageFailureException failure = failure(fetcher, URI.create(uri));

      assertThat(failure).hasMessage("only http and https URLs are allowed");
      assertThat(failure.isRetryable()).isFalse();
    }
  }

  @Test
  void connectionsAreReturnedToThePoolWhateverTheOutcome() throws IOException {
    respond("/404", 404, new byte[64 * 1024], "text/html");
    redirect("/loop", 302, "/loop");
    AtomicLong written = new AtomicLong();
    stream("/huge", DataSize.ofMegabytes(10).toBytes(), written, new CountDownLatch(1));
    server.on(
        "/stall",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          sleep(3_000);
        });
    respond("/ok", 200, PNG_BYTES, "image/png");

    // One connection only: a leaked lease would make the last fetches wait for the pool.
    try (HttpImageFetcher fetcher = permissive(properties(Duration.ofMillis(300), 5, 1))) {
      for (String path : new String[] {"/404", "/loop", "/huge", "/stall", "/ok", "/ok"}) {
        catchThrowable(() -> fetcher.fetch(server.uri(path)));
      }
      assertThat(fetcher.fetch(server.uri("/ok")).bytes()).isEqualTo(PNG_BYTES);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** With private networks refused, as in production. */
  @Nested
  class Guarded {

    @Test
    void refusesLoopbackWithoutSendingARequest() throws IOException {
      respond("/img", 200, PNG_BYTES, "image/png");

      try (HttpImageFetcher fetcher =
          new HttpImageFetcher(
              properties(Duration.ofSeconds(5), 5, 4, false),
              new OutboundGuard(false),
              SystemDefaultDnsResolver.INSTANCE)) {
        ImageFailureException failure = failure(fetcher, server.uri("/img"));

        assertThat(failure).hasMessage("address not allowed: 127.0.0.1 (loopback)");
        assertThat(failure.isRetryable()).isFalse();
        assertThat(server.requests()).isZero();
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://localhost:%d/img",
          "http://2130706433:%d/img", // decimal
          "http://127.1:%d/img", // short form
          "http://0x7f.1:%d/img", // hex
          "http://127.000.000.001:%d/img", // zero-padded
          "http://0:%d/img",
          "http://0.0.0.0:%d/img",
          "http://[::ffff:127.0.0.1]:%d/img", // IPv4-mapped
          "http://[::ffff:7f00:1]:%d/img",
          "http://[::127.0.0.1]:%d/img", // IPv4-compatible
          "http://[::1]:%d/img",
          "http://[::]:%d/img"
        })
    void refusesOddSpellingsOfLoopback(String template) throws IOException {
      respond("/img", 200, PNG_BYTES, "image/png");

      try (HttpImageFetcher fetcher =
          new HttpImageFetcher(
              properties(Duration.ofSeconds(5), 5, 4, false),
              new OutboundGuard(false),
              SystemDefaultDnsResolver.INSTANCE)) {
        ImageFailureException failure =
            failure(fetcher, URI.create(template.formatted(server.port())));

        assertThat(failure.getMessage())
            .matches(
                "address not allowed: .* \\((loopback|unspecified|ambiguous address)\\)"
                    + "|URL has no valid host");
        assertThat(failure.isRetryable()).isFalse();
        assertThat(server.requests()).isZero();
      }
    }

    /**
     * Stands in for a public origin: "origin.test" resolves to 127.0.0.1, the only address the
     * guard lets through, so every other hop is judged as it would be in production.
     */
    private HttpImageFetcher originOnly(int pool) throws UnknownHostException {
      InetAddress origin = InetAddress.getByName("127.0.0.1");
      Map<String, InetAddress[]> names =
          Map.of(
              "origin.test", new InetAddress[] {origin},
              "internal.test", new InetAddress[] {InetAddress.getByName("127.0.0.3")});
      DnsResolver dns =
          new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
              InetAddress[] mapped = names.get(host);
              return mapped != null ? mapped : SystemDefaultDnsResolver.INSTANCE.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
              return host;
            }
          };
      return new HttpImageFetcher(
          properties(Duration.ofMillis(300), 5, pool, false),
          new OutboundGuard(false, origin::equals),
          dns);
    }

    private URI origin(String path) {
      return URI.create("http://origin.test:" + server.port() + path);
    }

    @Test
    void fetchesFromTheAllowedOrigin() throws IOException {
      respond("/img", 200, PNG_BYTES, "image/png");

      try (HttpImageFetcher fetcher = originOnly(4)) {
        assertThat(fetcher.fetch(origin("/img")).bytes()).isEqualTo(PNG_BYTES);
      }
    }

    @ParameterizedTest
    @CsvSource({
      "http://127.0.0.2:%d/img, address not allowed: 127.0.0.2 (loopback)",
      "http://internal.test:%d/img, address not allowed: internal.test (loopback)",
      "http://[::1]:%d/img, address not allowed: [::1] (loopback)"
    })
    void checksEveryRedirectHop(String target, String message) throws IOException {
      redirect("/go", 302, target.formatted(server.port()));
      respond("/img", 200, PNG_BYTES, "image/png");

      try (HttpImageFetcher fetcher = originOnly(4)) {
        ImageFailureException failure = failure(fetcher, origin("/go"));

        assertThat(failure).hasMessage(message);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(server.requests()).isEqualTo(1); // only the origin's redirect
      }
    }

    /**
     * 0177.0.0.1 is 127.0.0.1 to a browser and 177.0.0.1 to Java: refused as written, before any
     * lookup or connection, whether it is the source or a redirect's target.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://0177.0.0.1:%d/img", "http://0x7f.1:%d/img"})
    void refusesAmbiguousAddressesAsForbidden(String template) throws IOException {
      String target = template.formatted(server.port());
      redirect("/go", 302, target);
      List<String> lookedUp = new CopyOnWriteArrayList<>();
      InetAddress origin = InetAddress.getByName("127.0.0.1");
      DnsResolver originOnlyDns =
          new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
              lookedUp.add(host);
              if (host.equals("origin.test")) {
                return new InetAddress[] {origin};
              }
              throw new UnknownHostException(host); // never the real network
            }

            @Override
            public String resolveCanonicalHostname(String host) {
              return host;
            }
          };

      try (HttpImageFetcher fetcher =
          new HttpImageFetcher(
              properties(Duration.ofSeconds(5), 5, 4, false),
              new OutboundGuard(false, origin::equals),
              originOnlyDns)) {
        for (URI uri : List.of(URI.create(target), origin("/go"))) {
          ImageFailureException failure = failure(fetcher, uri);

          assertThat(failure.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
          assertThat(failure).hasMessageEndingWith(" (ambiguous address)");
          assertThat(failure.isRetryable()).isFalse();
        }
        assertThat(lookedUp).containsOnly("origin.test");
        assertThat(server.requests()).isEqualTo(1); // only the origin's redirect
      }
    }

    @Test
    void refusedHopsDoNotLeakPooledConnections() throws IOException {
      redirect("/go", 302, "http://internal.test:" + server.port() + "/img");
      respond("/img", 200, PNG_BYTES, "image/png");

      try (HttpImageFetcher fetcher = originOnly(1)) {
        for (int i = 0; i < 3; i++) {
          assertThat(failure(fetcher, origin("/go"))).hasMessageStartingWith("address not");
        }
        assertThat(fetcher.fetch(origin("/img")).bytes()).isEqualTo(PNG_BYTES);
      }
    }
  }
}
