package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.OutboundGuard;
import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.imgpress.support.LoopbackServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/**
 * What every {@link ImageFetcher} adapter must do (see the port's Javadoc); each adapter's test
 * extends this. The sources are a {@link LoopbackServer}, so most tests build a fetcher whose guard
 * lets loopback through; the guarded ones refuse it, as production does. The failure messages are
 * part of the contract: they reach the client as the image's {@code error}.
 */
public abstract class ImageFetcherContract {

  protected static final byte[] PNG_BYTES = "\u0089PNG not really".getBytes(StandardCharsets.UTF_8);
  protected static final DataSize ONE_MB = DataSize.ofMegabytes(1);

  protected LoopbackServer server;
  private final List<ImageFetcher> created = new ArrayList<>();

  /** A fetcher with these settings whose every connection, redirects included, asks this guard. */
  protected abstract ImageFetcher create(FetchProperties properties, OutboundGuard guard);

  @BeforeEach
  void startServer() {
    server = new LoopbackServer();
  }

  @AfterEach
  void closeFetchersAndServer() throws Exception {
    for (ImageFetcher fetcher : created) {
      if (fetcher instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    server.close();
  }

  protected static FetchProperties properties(
      Duration readTimeout, int maxRedirects, int pool, Duration totalTimeout) {
    return new FetchProperties(
        Duration.ofSeconds(2),
        readTimeout,
        ONE_MB,
        maxRedirects,
        true,
        pool,
        totalTimeout,
        pool,
        pool);
  }

  protected static FetchProperties properties(Duration readTimeout, int maxRedirects) {
    return properties(readTimeout, maxRedirects, 4, Duration.ofSeconds(30));
  }

  /** Loopback allowed, since the sources are on it; closed after the test. */
  protected ImageFetcher fetcher(FetchProperties properties) {
    return fetcher(properties, new OutboundGuard(true));
  }

  protected ImageFetcher fetcher(FetchProperties properties, OutboundGuard guard) {
    return track(create(properties, guard));
  }

  /** Closes the fetcher after the test, if it is {@link AutoCloseable}. */
  protected ImageFetcher track(ImageFetcher fetcher) {
    created.add(fetcher);
    return fetcher;
  }

  private ImageFetcher fetcher() {
    return fetcher(properties(Duration.ofSeconds(5), 5));
  }

  /** As in production: loopback and private networks refused. */
  private ImageFetcher guarded() {
    FetchProperties properties =
        new FetchProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            ONE_MB,
            5,
            false,
            4,
            Duration.ofSeconds(30),
            64,
            16);
    return fetcher(properties, new OutboundGuard(false));
  }

  protected static ImageFailureException failure(ImageFetcher fetcher, URI uri) {
    Throwable thrown = catchThrowable(() -> fetcher.fetch(uri));
    assertThat(thrown).isInstanceOf(ImageFailureException.class);
    return (ImageFailureException) thrown;
  }

  protected void respond(String path, int status, byte[] body, String contentType) {
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

  protected void redirect(String path, int status, String location) {
    server.on(
        path,
        exchange -> {
          exchange.getResponseHeaders().add("Location", location);
          exchange.sendResponseHeaders(status, -1);
        });
  }

  /** Sends {@code total} bytes with chunked encoding, as fast as the client takes them. */
  protected void stream(String path, long total, AtomicLong written, CountDownLatch done) {
    server.on(
        path,
        exchange -> {
          byte[] chunk = new byte[(int) Math.min(64 * 1024, total)];
          try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            while (written.get() < total) {
              int size = (int) Math.min(chunk.length, total - written.get());
              out.write(chunk, 0, size);
              written.addAndGet(size);
            }
            out.close();
          } catch (IOException e) {
            // The client hung up: what these tests expect when the cap is hit.
          } finally {
            done.countDown();
          }
        });
  }

  protected static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void returnsBodyContentTypeAndUri() {
    respond("/img.png", 200, PNG_BYTES, "image/png");

    FetchedImage image = fetcher().fetch(server.uri("/img.png"));

    assertThat(image.bytes()).isEqualTo(PNG_BYTES);
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.finalUri()).isEqualTo(server.uri("/img.png"));
  }

  @Test
  void contentTypeIsNullWhenTheServerSendsNone() {
    respond("/img", 200, PNG_BYTES, null);

    assertThat(fetcher().fetch(server.uri("/img")).contentType()).isNull();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {201, 203, 299})
  void anySuccessStatusGivesTheBody(int status) {
    respond("/img", status, PNG_BYTES, "image/png");

    assertThat(fetcher().fetch(server.uri("/img")).bytes()).isEqualTo(PNG_BYTES);
  }

  @Test
  void anEmptyBodyComesBackEmpty() {
    respond("/empty", 200, new byte[0], "image/png");

    assertThat(fetcher().fetch(server.uri("/empty")).bytes()).isEmpty();
  }

  @Test
  void noContentComesBackEmpty() {
    respond("/none", 204, new byte[0], null);

    assertThat(fetcher().fetch(server.uri("/none")).bytes()).isEmpty();
  }

  @ParameterizedTest(name = "HTTP {0} retryable={1}")
  @CsvSource({
    "300, false, OTHER",
    "304, false, OTHER",
    "400, false, HTTP_4XX",
    "403, false, HTTP_4XX",
    "404, false, HTTP_4XX",
    "410, false, HTTP_4XX",
    "428, false, HTTP_4XX",
    "429, true, HTTP_4XX",
    "499, false, HTTP_4XX",
    "500, true, HTTP_5XX",
    "503, true, HTTP_5XX",
    "599, true, HTTP_5XX"
  })
  void otherStatusesFailWithTheStatusCode(int status, boolean retryable, FailureReason reason) {
    byte[] body = status == 304 ? new byte[0] : "nope".getBytes(StandardCharsets.UTF_8);
    respond("/x", status, body, "text/plain");

    ImageFailureException failure = failure(fetcher(), server.uri("/x"));

    assertThat(failure).hasMessage("HTTP " + status + " from source");
    assertThat(failure.isRetryable()).isEqualTo(retryable);
    assertThat(failure.reason()).isEqualTo(reason);
  }

  @Test
  void followsAChainOfThreeRedirects() {
    redirect("/r1", 301, "r2"); // relative to /r1
    redirect("/r2", 303, server.uri("/r3").toString()); // absolute
    redirect("/r3", 307, "/final?x=1"); // absolute path
    respond("/final", 200, PNG_BYTES, "image/png");

    FetchedImage image = fetcher().fetch(server.uri("/r1"));

    assertThat(image.finalUri()).isEqualTo(server.uri("/final?x=1"));
    assertThat(image.bytes()).isEqualTo(PNG_BYTES);
    assertThat(server.requests()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void followsEveryRedirectStatus(int status) {
    redirect("/from", status, "/to");
    respond("/to", 200, PNG_BYTES, "image/png");

    assertThat(fetcher().fetch(server.uri("/from")).finalUri()).isEqualTo(server.uri("/to"));
  }

  @Test
  void redirectLoopFailsAfterMaxRedirects() {
    redirect("/loop", 302, "/loop");

    ImageFailureException failure = failure(fetcher(), server.uri("/loop"));

    assertThat(failure).hasMessage("too many redirects (more than 5)");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(server.requests()).isEqualTo(6); // the first request and 5 redirects
  }

  @Test
  void maxRedirectsIsTheNumberOfRedirectsFollowed() {
    redirect("/c0", 302, "/c1");
    redirect("/c1", 302, "/c2");
    respond("/c2", 200, PNG_BYTES, "image/png");

    ImageFetcher two = fetcher(properties(Duration.ofSeconds(5), 2));
    ImageFetcher one = fetcher(properties(Duration.ofSeconds(5), 1));
    ImageFetcher none = fetcher(properties(Duration.ofSeconds(5), 0));

    assertThat(two.fetch(server.uri("/c0")).finalUri()).isEqualTo(server.uri("/c2"));
    assertThat(failure(one, server.uri("/c0"))).hasMessage("too many redirects (more than 1)");
    assertThat(failure(none, server.uri("/c0"))).hasMessage("too many redirects (more than 0)");
    assertThat(none.fetch(server.uri("/c2")).bytes()).isEqualTo(PNG_BYTES);
  }

  @Test
  void redirectWithoutLocationFailsPermanently() {
    respond("/r", 302, new byte[0], null);

    ImageFailureException failure = failure(fetcher(), server.uri("/r"));

    assertThat(failure).hasMessage("HTTP 302 redirect without a Location");
    assertThat(failure.isRetryable()).isFalse();
  }

  @Test
  void blankRedirectLocationFailsPermanently() {
    redirect("/r", 301, " ");

    ImageFailureException failure = failure(fetcher(), server.uri("/r"));

    assertThat(failure).hasMessage("HTTP 301 redirect without a Location");
    assertThat(failure.isRetryable()).isFalse();
  }

  @Test
  void unparsableRedirectLocationFailsPermanently() {
    redirect("/r", 302, "http://exa mple.com/<img>");

    ImageFailureException failure = failure(fetcher(), server.uri("/r"));

    assertThat(failure).hasMessage("invalid redirect location");
    assertThat(failure.isRetryable()).isFalse();
  }

  @Test
  void redirectToAnotherSchemeIsRefused() {
    redirect("/r", 302, "file:///etc/passwd");

    ImageFailureException failure = failure(fetcher(), server.uri("/r"));

    assertThat(failure).hasMessage("only http and https URLs are allowed");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void refusesOversizedBodyFromContentLength() {
    respond("/big", 200, new byte[(int) ONE_MB.toBytes() + 1], "image/jpeg");

    ImageFailureException failure = failure(fetcher(), server.uri("/big"));

    assertThat(failure).hasMessage("image larger than 1 MB");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(failure.reason()).isEqualTo(FailureReason.TOO_LARGE);
  }

  @Test
  void acceptsABodyOfExactlyMaxBytesWithContentLength() {
    respond("/exact", 200, new byte[(int) ONE_MB.toBytes()], "image/jpeg");

    assertThat(fetcher().fetch(server.uri("/exact")).bytes()).hasSize((int) ONE_MB.toBytes());
  }

  @Test
  void acceptsABodyOfExactlyMaxBytesWithoutContentLength() {
    stream("/exact", ONE_MB.toBytes(), new AtomicLong(), new CountDownLatch(1));

    assertThat(fetcher().fetch(server.uri("/exact")).bytes()).hasSize((int) ONE_MB.toBytes());
  }

  @Test
  void refusesABodyOneByteOverMaxBytesWithoutContentLength() {
    stream("/over", ONE_MB.toBytes() + 1, new AtomicLong(), new CountDownLatch(1));

    ImageFailureException failure = failure(fetcher(), server.uri("/over"));

    assertThat(failure).hasMessage("image larger than 1 MB");
    assertThat(failure.reason()).isEqualTo(FailureReason.TOO_LARGE);
  }

  @Test
  void stopsReadingAnOversizedChunkedBodyAtTheCap() throws Exception {
    AtomicLong written = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    stream("/huge", DataSize.ofMegabytes(100).toBytes(), written, done);

    long start = System.nanoTime();
    ImageFailureException failure = failure(fetcher(), server.uri("/huge"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure).hasMessage("image larger than 1 MB");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    // The server's writes fail once the client drops the connection; only what fit in the
    // socket buffers was sent beyond the cap.
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(written.get()).isLessThan(DataSize.ofMegabytes(20).toBytes());
  }

  @Test
  void slowResponseIsARetryableReadTimeout() {
    server.on("/slow", exchange -> sleep(3_000));

    long start = System.nanoTime();
    ImageFailureException failure =
        failure(fetcher(properties(Duration.ofMillis(300), 5)), server.uri("/slow"));

    assertThat(failure).hasMessage("read timed out");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void bodyThatStallsIsARetryableReadTimeout() {
    server.on(
        "/stall",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          exchange.getResponseBody().write(new byte[10]);
          exchange.getResponseBody().flush();
          sleep(3_000);
        });

    long start = System.nanoTime();
    ImageFailureException failure =
        failure(fetcher(properties(Duration.ofMillis(300), 5)), server.uri("/stall"));

    assertThat(failure).hasMessage("read timed out");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void sourceThatDripsBytesIsCutOffAtTheTotalTimeout() {
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
            // The client gave up: expected.
          }
        });
    ImageFetcher fetcher = fetcher(properties(Duration.ofSeconds(1), 5, 4, Duration.ofMillis(700)));

    long start = System.nanoTime();
    ImageFailureException failure = failure(fetcher, server.uri("/drip"));

    assertThat(failure).hasMessage("download took longer than 700 ms");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theTotalTimeoutSpansAllRedirects() {
    // Four hops of 700 ms: each alone well within the read and the total timeout, together not.
    for (int i = 1; i <= 4; i++) {
      String next = "/h" + (i + 1);
      server.on(
          "/h" + i,
          exchange -> {
            sleep(700);
            exchange.getResponseHeaders().add("Location", next);
            exchange.sendResponseHeaders(302, -1);
          });
    }
    respond("/h5", 200, PNG_BYTES, "image/png");
    ImageFetcher fetcher = fetcher(properties(Duration.ofSeconds(2), 5, 4, Duration.ofSeconds(2)));

    ImageFailureException failure = failure(fetcher, server.uri("/h1"));

    assertThat(failure).hasMessage("download took longer than 2 s");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(server.requests()).isLessThan(5);
  }

  @Test
  void closedPortIsARetryableConnectionRefused() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }

    ImageFailureException failure =
        failure(fetcher(), URI.create("http://127.0.0.1:" + closedPort + "/x"));

    assertThat(failure).hasMessage("connection refused");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(failure.reason()).isEqualTo(FailureReason.CONNECTION);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://127.0.0.1/x.jpg", "file:///etc/passwd", "data:image/png,abc", "/x.jpg"})
  void otherSchemesFailPermanently(String uri) {
    ImageFailureException failure = failure(fetcher(), URI.create(uri));

    assertThat(failure).hasMessage("only http and https URLs are allowed");
    assertThat(failure.isRetryable()).isFalse();
  }

  @Test
  void refusesLoopbackWithoutSendingARequest() {
    respond("/img", 200, PNG_BYTES, "image/png");

    ImageFailureException failure = failure(guarded(), server.uri("/img"));

    assertThat(failure).hasMessage("address not allowed: 127.0.0.1 (loopback)");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(failure.reason()).isEqualTo(FailureReason.FORBIDDEN_ADDRESS);
    assertThat(server.requests()).isZero();
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
  void refusesOddSpellingsOfLoopback(String template) {
    respond("/img", 200, PNG_BYTES, "image/png");

    ImageFailureException failure =
        failure(guarded(), URI.create(template.formatted(server.port())));

    assertThat(failure.getMessage())
        .matches(
            "address not allowed: .* \\((loopback|unspecified|ambiguous address)\\)"
                + "|URL has no valid host");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(server.requests()).isZero();
  }

  /** Only 127.0.0.1 stands in for a public origin; every other hop is judged as in production. */
  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.2:%d/img, address not allowed: 127.0.0.2 (loopback)",
    "http://[::1]:%d/img, address not allowed: [::1] (loopback)"
  })
  void checksEveryRedirectHop(String target, String message) throws IOException {
    InetAddress origin = InetAddress.getByName("127.0.0.1");
    redirect("/go", 302, target.formatted(server.port()));
    respond("/img", 200, PNG_BYTES, "image/png");
    ImageFetcher fetcher =
        fetcher(
            new FetchProperties(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                ONE_MB,
                5,
                false,
                4,
                Duration.ofSeconds(30),
                64,
                16),
            new OutboundGuard(false, origin::equals));

    ImageFailureException failure = failure(fetcher, server.uri("/go"));

    assertThat(failure).hasMessage(message);
    assertThat(failure.isRetryable()).isFalse();
    assertThat(server.requests()).isEqualTo(1); // only the origin's redirect
  }

  @ParameterizedTest(name = "HTTP {0} Retry-After: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "429 | 120 | PT2M",
        "503 | 0 | PT0S",
        "429 | 99999999999999999999 | PT10M",
        "503 | 601 | PT10M",
        "429 | Wed, 21 Oct 2015 07:28:00 GMT | PT0S",
        "503 | Fri, 31 Dec 2100 23:59:59 GMT | PT10M"
      })
  void aRefusalThatSaysWhenToComeBackCarriesTheWait(int status, String header, Duration wait) {
    respondWithRetryAfter("/later", status, header);

    ImageFailureException failure = failure(fetcher(), server.uri("/later"));

    assertThat(failure).hasMessage("HTTP " + status + " from source");
    assertThat(failure.isRetryable()).isTrue();
    assertThat(failure.retryAfter()).contains(wait);
  }

  @ParameterizedTest(name = "HTTP {0} Retry-After: \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "429 | soon",
        "503 | -5",
        "429 | 1.5",
        "503 | 12 s",
        "429 | Wed, 32 Oct 2015 07:28:00 GMT",
        "500 | 120",
        "502 | 120"
      })
  void aRetryAfterThatIsGarbageOrNotForThisStatusIsIgnored(int status, String header) {
    respondWithRetryAfter("/later", status, header);

    ImageFailureException failure = failure(fetcher(), server.uri("/later"));

    assertThat(failure.isRetryable()).isTrue();
    assertThat(failure.retryAfter()).isEmpty();
  }

  @Test
  void aRetryAfterDateIsCountedFromNow() {
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
    respondWithRetryAfter("/later", 429, inTwoMinutes);

    ImageFailureException failure = failure(fetcher(), server.uri("/later"));

    // The header has whole seconds and the fetch takes a moment: a little less than two minutes.
    assertThat(failure.retryAfter())
        .hasValueSatisfying(
            wait -> assertThat(wait).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120)));
  }

  @Test
  void aRefusalWithoutRetryAfterSaysNothingAboutWhen() {
    respond("/busy", 503, new byte[0], null);

    assertThat(failure(fetcher(), server.uri("/busy")).retryAfter()).isEmpty();
  }

  private void respondWithRetryAfter(String path, int status, String retryAfter) {
    server.on(
        path,
        exchange -> {
          exchange.getResponseHeaders().add("Retry-After", retryAfter);
          exchange.sendResponseHeaders(status, -1);
        });
  }

  /** Waits for a condition another thread brings about; fails after 10 s. */
  protected static void awaitTrue(BooleanSupplier condition) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(giveUp);
      sleep(1);
    }
  }

  /** Fetches on a virtual thread. */
  protected static CompletableFuture<FetchedImage> fetchLater(
      ImageFetcher fetcher, URI uri, ByteBudget budget) {
    return CompletableFuture.supplyAsync(
        () -> fetcher.fetch(uri, budget), Thread::startVirtualThread);
  }

  @Test
  void waitingForTheByteBudgetDoesNotCountAgainstTheTotalTimeout() throws Exception {
    respond("/img", 200, PNG_BYTES, "image/png");
    ByteBudget budget = new ByteBudget(64 * 1024);
    ByteBudget.Reservation everything = budget.reserve(64 * 1024);
    ImageFetcher fetcher = fetcher(properties(Duration.ofSeconds(5), 5, 4, Duration.ofMillis(300)));

    CompletableFuture<FetchedImage> fetched = fetchLater(fetcher, server.uri("/img"), budget);
    awaitTrue(() -> budget.waiting() == 1);
    sleep(900); // three times the total timeout, spent waiting for memory
    everything.close();

    try (FetchedImage image = fetched.get(10, TimeUnit.SECONDS)) {
      assertThat(image.bytes()).isEqualTo(PNG_BYTES);
      assertThat(budget.availableBytes()).isLessThan(budget.capacityBytes());
    }
    assertThat(budget.availableBytes()).isEqualTo(budget.capacityBytes());
  }

  @Test
  void theTotalTimeoutStillCountsTheTimeSpentDownloading() {
    server.on(
        "/drip",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          try {
            for (int i = 0; i < 1000; i++) {
              exchange.getResponseBody().write(1);
              exchange.getResponseBody().flush();
              sleep(50);
            }
          } catch (IOException e) {
            // The client gave up: expected.
          }
        });
    ByteBudget budget = new ByteBudget(64 * 1024);
    ImageFetcher fetcher = fetcher(properties(Duration.ofSeconds(1), 5, 4, Duration.ofMillis(700)));

    Throwable thrown = catchThrowable(() -> fetcher.fetch(server.uri("/drip"), budget));

    assertThat(thrown).hasMessage("download took longer than 700 ms");
    assertThat(budget.availableBytes()).isEqualTo(budget.capacityBytes());
  }

  @Test
  void aChunkedBodyLargerThanTheWholeBudgetIsReadHoldingAllOfIt() {
    stream("/chunked", ONE_MB.toBytes(), new AtomicLong(), new CountDownLatch(1));
    ByteBudget budget = new ByteBudget(64 * 1024);

    try (FetchedImage image = fetcher().fetch(server.uri("/chunked"), budget)) {
      assertThat(image.bytes()).hasSize((int) ONE_MB.toBytes());
      assertThat(budget.availableBytes()).isZero();
    }
    assertThat(budget.availableBytes()).isEqualTo(budget.capacityBytes());
  }

  @Test
  void aSmallChunkedBodyHoldsAboutItsOwnSize() {
    byte[] body = new byte[10_000];
    server.on(
        "/small",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked
          exchange.getResponseBody().write(body);
        });
    ByteBudget budget = new ByteBudget(ONE_MB.toBytes());

    try (FetchedImage image = fetcher().fetch(server.uri("/small"), budget)) {
      assertThat(image.bytes()).hasSize(body.length);
      assertThat(budget.capacityBytes() - budget.availableBytes()).isEqualTo(10 * 1024);
    }
  }

  @Test
  void eightConcurrentOneMegabyteBodiesShareATwoMegabyteBudget() throws Exception {
    List<URI> sources = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      respond("/known" + i, 200, new byte[(int) ONE_MB.toBytes()], "image/jpeg");
      stream("/chunked" + i, ONE_MB.toBytes(), new AtomicLong(), new CountDownLatch(1));
      sources.add(server.uri("/known" + i));
      sources.add(server.uri("/chunked" + i));
    }
    ByteBudget budget = new ByteBudget(2 * ONE_MB.toBytes());
    ImageFetcher fetcher = fetcher(properties(Duration.ofSeconds(5), 5, 8, Duration.ofSeconds(30)));

    List<CompletableFuture<Integer>> sizes = new ArrayList<>();
    for (URI source : sources) {
      sizes.add(
          CompletableFuture.supplyAsync(
              () -> {
                // As the pipeline does: the image is closed once it has been used.
                try (FetchedImage image = fetcher.fetch(source, budget)) {
                  return image.bytes().length;
                }
              },
              Thread::startVirtualThread));
    }

    for (CompletableFuture<Integer> size : sizes) {
      assertThat(size.get(60, TimeUnit.SECONDS)).isEqualTo((int) ONE_MB.toBytes());
    }
    assertThat(budget.availableBytes()).isEqualTo(budget.capacityBytes());
  }

  @Test
  void failedDownloadsGiveTheirBytesBack() {
    stream("/over", ONE_MB.toBytes() + 1, new AtomicLong(), new CountDownLatch(1));
    respond("/big", 200, new byte[(int) ONE_MB.toBytes() + 1], "image/jpeg");
    respond("/gone", 404, "nope".getBytes(StandardCharsets.UTF_8), "text/plain");
    ByteBudget budget = new ByteBudget(2 * ONE_MB.toBytes());
    ImageFetcher fetcher = fetcher();

    for (String path : List.of("/over", "/big", "/gone")) {
      Throwable thrown = catchThrowable(() -> fetcher.fetch(server.uri(path), budget));
      assertThat(thrown).isInstanceOf(ImageFailureException.class);
      assertThat(budget.availableBytes()).as(path).isEqualTo(budget.capacityBytes());
    }
  }
}
