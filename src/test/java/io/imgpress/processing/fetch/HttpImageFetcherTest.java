package io.imgpress.processing.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.OutboundGuard;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFetcher;
import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.imgpress.processing.ImageFetcherContract;
import io.imgpress.processing.ImageFormat;
import io.imgpress.support.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

class HttpImageFetcherTest extends ImageFetcherContract {

  @Override
  protected ImageFetcher create(FetchProperties properties, OutboundGuard guard) {
    return new HttpImageFetcher(properties, guard, SystemDefaultDnsResolver.INSTANCE);
  }

  @Test
  void aRetryAfterIsCutToTheConfiguredMaximum() {
    server.on(
        "/later",
        exchange -> {
          exchange.getResponseHeaders().add("Retry-After", "3600");
          exchange.sendResponseHeaders(429, -1);
        });
    FetchProperties p = properties(Duration.ofSeconds(5), 3);
    FetchProperties capped =
        new FetchProperties(
            p.connectTimeout(),
            p.readTimeout(),
            p.maxBytes(),
            p.maxRedirects(),
            p.allowPrivateNetworks(),
            p.maxConnections(),
            p.totalTimeout(),
            p.maxConcurrent(),
            p.maxConcurrentPerHost(),
            p.userAgent(),
            p.allowedHosts(),
            p.deniedHosts(),
            Duration.ofSeconds(2));

    ImageFailureException failure = failure(fetcher(capped), server.uri("/later"));

    // An hour asked, two seconds configured: the image and its host wait two seconds.
    assertThat(failure).hasMessage("HTTP 429 from source");
    assertThat(failure.retryAfter()).contains(Duration.ofSeconds(2));
  }

  @Test
  void saysWhatItIsAndAsksForWhatTheEngineDecodes() throws Exception {
    List<String> agents = new CopyOnWriteArrayList<>();
    List<String> accepts = new CopyOnWriteArrayList<>();
    server.on(
        "/img",
        exchange -> {
          agents.add(exchange.getRequestHeaders().getFirst("User-Agent"));
          accepts.add(exchange.getRequestHeaders().getFirst("Accept"));
          LoopbackServer.respond(exchange, 200, "image/png", PNG_BYTES);
        });
    FetchProperties defaults = properties(Duration.ofSeconds(5), 5);
    HttpImageFetcher jpegAndPngOnly =
        new HttpImageFetcher(
            defaults,
            new OutboundGuard(true),
            SystemDefaultDnsResolver.INSTANCE,
            EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG));
    try (jpegAndPngOnly) {
      jpegAndPngOnly.fetch(server.uri("/img"));
    }
    FetchProperties named =
        new FetchProperties(
            defaults.connectTimeout(),
            defaults.readTimeout(),
            defaults.maxBytes(),
            defaults.maxRedirects(),
            true,
            defaults.maxConnections(),
            defaults.totalTimeout(),
            defaults.maxConcurrent(),
            defaults.maxConcurrentPerHost(),
            "shop-crawler/2 (+https://shop.example/bot)");
    try (HttpImageFetcher custom =
        new HttpImageFetcher(named, new OutboundGuard(true), SystemDefaultDnsResolver.INSTANCE)) {
      custom.fetch(server.uri("/img"));
    }

    assertThat(agents)
        .containsExactly(
            FetchProperties.DEFAULT_USER_AGENT, "shop-crawler/2 (+https://shop.example/bot)");
    assertThat(accepts)
        .containsExactly(
            "image/jpeg, image/png, */*;q=0.1",
            "image/jpeg, image/png, image/gif, image/bmp, image/webp, image/heic, image/avif,"
                + " image/tiff, image/jxl, image/jp2, */*;q=0.1");
  }

  @Test
  void asksForThePortableEnginesFormatsWithoutTheNativeOnes() {
    // What the portable engine decodes: no HEIC, AVIF, JPEG XL or JPEG 2000 from a CDN that could
    // answer with a format it reads.
    assertThat(
            HttpImageFetcher.accept(
                EnumSet.of(
                    ImageFormat.JPEG,
                    ImageFormat.PNG,
                    ImageFormat.GIF,
                    ImageFormat.BMP,
                    ImageFormat.WEBP,
                    ImageFormat.TIFF)))
        .isEqualTo(
            "image/jpeg, image/png, image/gif, image/bmp, image/webp, image/tiff, */*;q=0.1");
  }

  @Test
  void connectionsAreReturnedToThePoolWhateverTheOutcome() {
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
    ImageFetcher fetcher =
        fetcher(properties(Duration.ofMillis(300), 5, 1, Duration.ofSeconds(30)));
    for (String path : new String[] {"/404", "/loop", "/huge", "/stall", "/ok", "/ok"}) {
      catchThrowable(() -> fetcher.fetch(server.uri(path)));
    }
    assertThat(fetcher.fetch(server.uri("/ok")).bytes()).isEqualTo(PNG_BYTES);
  }

  @Test
  void closingTheFetcherClosesItsPooledConnections() throws Exception {
    try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      origin.setSoTimeout(10_000);
      HttpImageFetcher fetcher =
          new HttpImageFetcher(
              properties(Duration.ofSeconds(5), 5, 1, Duration.ofSeconds(30)),
              new OutboundGuard(true),
              SystemDefaultDnsResolver.INSTANCE);
      URI uri = URI.create("http://127.0.0.1:" + origin.getLocalPort() + "/img");
      CompletableFuture<FetchedImage> fetched =
          CompletableFuture.supplyAsync(() -> fetcher.fetch(uri), Thread::startVirtualThread);

      try (Socket connection = origin.accept()) {
        connection.setSoTimeout(10_000);
        InputStream in = connection.getInputStream();
        readHead(in);
        connection
            .getOutputStream()
            .write(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(fetched.get(10, TimeUnit.SECONDS).bytes()).isEqualTo(new byte[] {'o', 'k'});

        fetcher.close();

        // The kept-alive connection is closed by the client: the origin reads the end of it.
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request head cut short");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  /**
   * Stands in for a public origin: "origin.test" resolves to 127.0.0.1, the only address the guard
   * lets through, so every other hop is judged as it would be in production.
   */
  private ImageFetcher originOnly(int pool) throws UnknownHostException {
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
    HttpImageFetcher fetcher =
        new HttpImageFetcher(
            new FetchProperties(
                Duration.ofSeconds(2),
                Duration.ofMillis(300),
                ONE_MB,
                5,
                false,
                pool,
                Duration.ofSeconds(30),
                pool,
                pool),
            new OutboundGuard(false, origin::equals),
            dns);
    return track(fetcher);
  }

  private URI origin(String path) {
    return URI.create("http://origin.test:" + server.port() + path);
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
            new FetchProperties(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                ONE_MB,
                5,
                false,
                4,
                Duration.ofSeconds(30),
                64,
                16),
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
  void fetchesFromAnAllowedOriginByName() throws UnknownHostException {
    respond("/img", 200, PNG_BYTES, "image/png");

    assertThat(originOnly(4).fetch(origin("/img")).bytes()).isEqualTo(PNG_BYTES);
  }

  @Test
  void checksTheResolvedAddressOfARedirectHop() throws UnknownHostException {
    redirect("/go", 302, "http://internal.test:" + server.port() + "/img");
    respond("/img", 200, PNG_BYTES, "image/png");

    ImageFailureException failure = failure(originOnly(4), origin("/go"));

    assertThat(failure).hasMessage("address not allowed: internal.test (loopback)");
    assertThat(failure.isRetryable()).isFalse();
    assertThat(server.requests()).isEqualTo(1); // only the origin's redirect
  }

  @Test
  void refusedHopsDoNotLeakPooledConnections() throws UnknownHostException {
    redirect("/go", 302, "http://internal.test:" + server.port() + "/img");
    respond("/img", 200, PNG_BYTES, "image/png");

    ImageFetcher fetcher = originOnly(1);
    for (int i = 0; i < 3; i++) {
      assertThat(failure(fetcher, origin("/go"))).hasMessageStartingWith("address not");
    }
    assertThat(fetcher.fetch(origin("/img")).bytes()).isEqualTo(PNG_BYTES);
  }

  /**
   * HttpClient's pool allows 5 connections per route unless told otherwise; the per-host limit must
   * reach the pool, or a host would silently get 5 downloads at once whatever the setting.
   */
  @Test
  void twentyDownloadsFromOneHostAreInFlightAtOnce() throws Exception {
    int concurrent = 20;
    CountDownLatch allArrived = new CountDownLatch(concurrent);
    server.on(
        "/together",
        exchange -> {
          allArrived.countDown();
          boolean together = false;
          try {
            together = allArrived.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = together ? PNG_BYTES : new byte[0];
          exchange.sendResponseHeaders(together ? 200 : 504, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
        });
    FetchProperties properties =
        new FetchProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(15),
            ONE_MB,
            5,
            true,
            1, // max-connections below the concurrency: the pool follows max-concurrent
            Duration.ofSeconds(30),
            concurrent,
            concurrent);
    ImageFetcher fetcher = fetcher(properties);

    List<CompletableFuture<FetchedImage>> fetches = new ArrayList<>();
    for (int i = 0; i < concurrent; i++) {
      fetches.add(
          CompletableFuture.supplyAsync(
              () -> fetcher.fetch(server.uri("/together")), Thread::startVirtualThread));
    }

    for (CompletableFuture<FetchedImage> fetch : fetches) {
      assertThat(fetch.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(PNG_BYTES);
    }
    assertThat(server.requests()).isEqualTo(concurrent);
  }

  @Test
  void thePerHostLimitCapsTheConnectionsToOneHost() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    CountDownLatch twoArrived = new CountDownLatch(2);
    server.on(
        "/capped",
        exchange -> {
          mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          twoArrived.countDown();
          try {
            // Holds the first two long enough for the others to pile up at the pool.
            twoArrived.await(10, TimeUnit.SECONDS);
            sleep(200);
            exchange.sendResponseHeaders(200, PNG_BYTES.length);
            exchange.getResponseBody().write(PNG_BYTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            inFlight.decrementAndGet();
          }
        });
    FetchProperties properties =
        new FetchProperties(
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            ONE_MB,
            5,
            true,
            32,
            Duration.ofSeconds(30),
            64,
            2);
    ImageFetcher fetcher = fetcher(properties);

    List<CompletableFuture<FetchedImage>> fetches = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      fetches.add(
          CompletableFuture.supplyAsync(
              () -> fetcher.fetch(server.uri("/capped")), Thread::startVirtualThread));
    }

    for (CompletableFuture<FetchedImage> fetch : fetches) {
      assertThat(fetch.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(PNG_BYTES);
    }
    assertThat(mostAtOnce.get()).isEqualTo(2);
  }
}
