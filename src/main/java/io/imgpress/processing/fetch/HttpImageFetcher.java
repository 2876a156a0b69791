package io.imgpress.processing.fetch;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.net.FetchProperties;
import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.net.OutboundGuard;
import io.imgpress.net.OutboundHttpClients;
import io.imgpress.processing.ByteBudget;
import io.imgpress.processing.Codec;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFetcher;
import io.imgpress.processing.ImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.utils.URIUtils;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/** {@link ImageFetcher} over Apache HttpClient, guarded by {@link OutboundGuard}. */
@ConditionalOnWorkerRole
@Component
final class HttpImageFetcher implements ImageFetcher, AutoCloseable {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final String userAgent;
  private final String accept;
  private final OutboundGuard guard;
  private final CloseableHttpClient client;
  private final int maxRedirects;
  private final DataSize maxBytes;
  private final Duration totalTimeout;
  private final Duration maxRetryAfter;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("imgpress-fetch-deadline").factory());

  @Autowired
  HttpImageFetcher(FetchProperties properties, Codec codec) {
    this(
        properties,
        OutboundGuard.forSources(properties),
        SystemDefaultDnsResolver.INSTANCE,
        codec.decodes());
  }

  HttpImageFetcher(FetchProperties properties, OutboundGuard guard, DnsResolver resolver) {
    this(properties, guard, resolver, EnumSet.allOf(ImageFormat.class));
  }

  HttpImageFetcher(
      FetchProperties properties,
      OutboundGuard guard,
      DnsResolver resolver,
      Set<ImageFormat> decodable) {
    this.userAgent = properties.userAgentHeader();
    this.accept = accept(decodable);
    this.guard = guard;
    this.maxRedirects = properties.maxRedirects();
    this.maxBytes = properties.maxBytes();
    this.totalTimeout = properties.totalTimeout();
    this.maxRetryAfter = properties.maxRetryAfter();
    this.client =
        OutboundHttpClients.create(
            new OutboundHttpClients.Settings(
                properties.connectTimeout(),
                properties.readTimeout(),
                properties.poolSize(),
                properties.maxConcurrentPerHost()),
            guard,
            resolver);
  }

  @Override
  public FetchedImage fetch(URI uri, ByteBudget budget) {
    URI current = Objects.requireNonNull(uri, "uri");
    Deadline deadline = new Deadline(totalTimeout);
    for (int redirects = 0; ; redirects++) {
      Hop hop = request(current, deadline, budget);
      if (hop.image() != null) {
        return hop.image();
      }
      if (redirects == maxRedirects) {
        throw RetryClassifier.tooManyRedirects(maxRedirects);
      }
      current = hop.redirect();
    }
  }

  /**
   * What the running engine decodes, so a content-negotiating CDN answers with one of them;
   * anything else only as a last resort, since a source with one representation would otherwise
   * answer 406.
   */
  static String accept(Set<ImageFormat> decodable) {
    StringBuilder accept = new StringBuilder();
    for (ImageFormat format : ImageFormat.values()) {
      if (decodable.contains(format)) {
        accept.append(format.mediaType()).append(", ");
      }
    }
    return accept.append("*/*;q=0.1").toString();
  }

  /** One request: either the image or where the server redirected to. */
  private record Hop(FetchedImage image, URI redirect) {}

  private Hop request(URI requested, Deadline deadline, ByteBudget budget) {
    // Every hop, redirects included: the host after the last '@' is where the request goes.
    URI uri = OutboundGuard.withoutUserInfo(requested);
    try {
      guard.checkUri(uri);
    } catch (IllegalArgumentException e) {
      throw RetryClassifier.invalidUrl(e.getMessage());
    } catch (ForbiddenAddressException e) {
      throw RetryClassifier.forException(e, uri);
    }
    HttpGet get = new HttpGet(uri);
    get.setHeader(HttpHeaders.USER_AGENT, userAgent);
    get.setHeader(HttpHeaders.ACCEPT, accept);
    ClassicHttpResponse response = null;
    boolean bodyRead = false;
    Watchdog watchdog = new Watchdog(deadline, get);
    try {
      response = client.executeOpen(null, get, null);
      int status = response.getCode();
      if (REDIRECTS.contains(status)) {
        return new Hop(null, location(uri, response, status));
      }
      if (status < 200 || status > 299) {
        throw RetryClassifier.forStatus(
            status, header(response, HttpHeaders.RETRY_AFTER), clock.instant(), maxRetryAfter);
      }
      FetchedImage image =
          new BodyReader(response.getEntity(), budget, watchdog).read(uri, contentType(response));
      bodyRead = true;
      return new Hop(image, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ImageFailureException.retryable("interrupted while waiting for memory", e);
    } catch (IOException | ForbiddenAddressException e) {
      if (watchdog.expired()) {
        throw RetryClassifier.tooSlow(totalTimeout);
      }
      throw RetryClassifier.forException(e, uri);
    } finally {
      watchdog.stop();
      // Closing a response whose body was not read to the end drains the rest of it (to reuse
      // the connection), which could mean 100 MB or a stalled server; cancelling drops the
      // connection instead.
      if (!bodyRead) {
        get.cancel();
      }
      closeQuietly(response);
    }
  }

  /**
   * Reads a body into memory under the byte budget. The reservation is released here on any failure
   * and travels with the image otherwise.
   *
   * <p>A declared length is reserved whole before reading. An unknown length (chunked) is reserved
   * in steps that double as the body grows, so a small image does not claim {@code max-bytes} while
   * a big one is read. A step is only ever taken if it is free at once ({@link
   * ByteBudget.Reservation#tryGrowTo}); if it is not, the reader gives back everything it holds and
   * then waits for the cap in one piece. So no reader ever waits while holding part of the budget,
   * and readers cannot deadlock each other (each holding half the budget, each waiting for the
   * other half). The price: while it waits, the bytes it has read already are in memory without
   * being counted, at most one body short of the cap per waiting reader.
   */
  private final class BodyReader {

    private static final int FIRST_STEP = 256 * 1024;

    private final HttpEntity entity;
    private final ByteBudget budget;
    private final Watchdog watchdog;
    private ByteBudget.Reservation reserved;

    BodyReader(HttpEntity entity, ByteBudget budget, Watchdog watchdog) {
      this.entity = entity;
      this.budget = budget;
      this.watchdog = watchdog;
    }

    FetchedImage read(URI uri, String contentType) throws IOException, InterruptedException {
      long limit = maxBytes.toBytes();
      long declared = entity == null ? 0 : entity.getContentLength();
      if (declared > limit) {
        throw RetryClassifier.tooLarge(maxBytes);
      }
      boolean done = false;
      try {
        byte[] body = declared >= 0 ? readDeclared(declared, limit) : readChunked(limit);
        reserved.shrinkTo(body.length);
        done = true;
        return new FetchedImage(uri, body, contentType, reserved);
      } finally {
        if (!done && reserved != null) {
          reserved.close();
        }
      }
    }

    private byte[] readDeclared(long declared, long limit)
        throws IOException, InterruptedException {
      reserve(declared);
      if (entity == null) {
        return new byte[0];
      }
      // Not closed here on purpose: see the finally in request(). Reaching the end of the stream
      // hands the connection back to the pool by itself.
      byte[] body = entity.getContent().readNBytes((int) limit + 1);
      if (body.length > limit) {
        throw RetryClassifier.tooLarge(maxBytes);
      }
      return body;
    }

    private byte[] readChunked(long limit) throws IOException, InterruptedException {
      InputStream in = entity.getContent();
      // One byte beyond the cap tells a body of exactly max-bytes from a larger one.
      byte[] body = new byte[(int) Math.min(limit + 1, FIRST_STEP)];
      reserve(body.length);
      int filled = 0;
      while (true) {
        filled += in.readNBytes(body, filled, body.length - filled);
        if (filled < body.length) {
          return Arrays.copyOf(body, filled); // the end of the stream
        }
        if (filled > limit) {
          throw RetryClassifier.tooLarge(maxBytes);
        }
        int next = (int) Math.min(limit + 1, 2L * body.length);
        if (!reserved.tryGrowTo(next)) {
          reserved.close();
          reserved = null;
          reserve(limit + 1);
        }
        body = Arrays.copyOf(body, next);
      }
    }

    /**
     * Waits for the budget with the download's clock stopped: queueing is not the source's fault.
     */
    private void reserve(long bytes) throws InterruptedException {
      watchdog.pause();
      if (watchdog.expired()) {
        watchdog.resume();
        throw RetryClassifier.tooSlow(totalTimeout);
      }
      try {
        reserved = budget.reserve(bytes);
      } finally {
        watchdog.resume();
      }
    }
  }

  /** The end of a whole download, redirects included, pushed back by the time it stood paused. */
  private static final class Deadline {

    private long at;

    Deadline(Duration total) {
      at = System.nanoTime() + total.toNanos();
    }

    long remainingNanos() {
      return Math.max(0, at - System.nanoTime());
    }

    void extendBy(long nanos) {
      at += nanos;
    }
  }

  /** Cancels one request when the download's deadline passes; can stop the clock for a while. */
  private final class Watchdog {

    private final Deadline deadline;
    private final HttpGet get;
    private final AtomicBoolean expired = new AtomicBoolean();
    private ScheduledFuture<?> timer;
    private long pausedAt;

    Watchdog(Deadline deadline, HttpGet get) {
      this.deadline = deadline;
      this.get = get;
      arm();
    }

    private void arm() {
      timer =
          deadlines.schedule(
              () -> {
                expired.set(true);
                get.cancel();
              },
              deadline.remainingNanos(),
              TimeUnit.NANOSECONDS);
    }

    void pause() {
      timer.cancel(false);
      pausedAt = System.nanoTime();
    }

    void resume() {
      deadline.extendBy(System.nanoTime() - pausedAt);
      if (!expired.get()) {
        arm();
      }
    }

    void stop() {
      timer.cancel(false);
    }

    boolean expired() {
      return expired.get();
    }
  }

  private static String header(ClassicHttpResponse response, String name) {
    Header header = response.getFirstHeader(name);
    return header == null ? null : header.getValue();
  }

  private static URI location(URI base, ClassicHttpResponse response, int status) {
    Header header = response.getFirstHeader(HttpHeaders.LOCATION);
    if (header == null || header.getValue() == null || header.getValue().isBlank()) {
      throw RetryClassifier.redirectWithoutLocation(status);
    }
    try {
      return URIUtils.resolve(base, new URI(header.getValue().trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw RetryClassifier.invalidRedirect();
    }
  }

  private static String contentType(ClassicHttpResponse response) {
    return header(response, HttpHeaders.CONTENT_TYPE);
  }

  private static void closeQuietly(ClassicHttpResponse response) {
    if (response == null) {
      return;
    }
    try {
      response.close();
    } catch (IOException e) {
      // The outcome is decided already; a failed close only loses the connection.
    }
  }

  @Override
  public void close() throws IOException {
    deadlines.shutdownNow();
    client.close();
  }
}
