package io.imgpress.processing.fetch;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.net.OutboundGuard;
import io.imgpress.net.OutboundHttpClients;
import io.imgpress.processing.ByteBudget;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
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
@Component
final class HttpImageFetcher implements ImageFetcher, AutoCloseable {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final OutboundGuard guard;
  private final CloseableHttpClient client;
  private final int maxRedirects;
  private final DataSize maxBytes;
  private final Duration totalTimeout;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("imgpress-fetch-deadline").factory());

  @Autowired
  HttpImageFetcher(FetchProperties properties) {
    this(
        properties,
        new OutboundGuard(properties.allowPrivateNetworks()),
        SystemDefaultDnsResolver.INSTANCE);
  }

  HttpImageFetcher(FetchProperties properties, OutboundGuard guard, DnsResolver resolver) {
    this.guard = guard;
    this.maxRedirects = properties.maxRedirects();
    this.maxBytes = properties.maxBytes();
    this.totalTimeout = properties.totalTimeout();
    this.client =
        OutboundHttpClients.create(
            new OutboundHttpClients.Settings(
                properties.connectTimeout(), properties.readTimeout(), properties.maxConnections()),
            guard,
            resolver);
  }

  @Override
  public FetchedImage fetch(URI uri, ByteBudget budget) {
    URI current = Objects.requireNonNull(uri, "uri");
    long deadline = System.nanoTime() + totalTimeout.toNanos();
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

  /** One request: either the image or where the server redirected to. */
  private record Hop(FetchedImage image, URI redirect) {}

  private Hop request(URI uri, long deadline, ByteBudget budget) {
    try {
      guard.checkUri(uri);
    } catch (IllegalArgumentException e) {
      throw RetryClassifier.invalidUrl(e.getMessage());
    } catch (ForbiddenAddressException e) {
      throw RetryClassifier.forException(e, uri);
    }
    HttpGet get = new HttpGet(uri);
    ClassicHttpResponse response = null;
    boolean bodyRead = false;
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> timer =
        deadlines.schedule(
            () -> {
              expired.set(true);
              get.cancel();
            },
            Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS);
    try {
      response = client.executeOpen(null, get, null);
      int status = response.getCode();
      if (REDIRECTS.contains(status)) {
        return new Hop(null, location(uri, response, status));
      }
      if (status < 200 || status > 299) {
        throw RetryClassifier.forStatus(status);
      }
      HttpEntity entity = response.getEntity();
      ByteBudget.Reservation reserved = budget.reserve(expectedSize(entity));
      try {
        byte[] body = readCapped(entity);
        reserved.shrinkTo(body.length);
        bodyRead = true;
        return new Hop(new FetchedImage(uri, body, contentType(response), reserved), null);
      } finally {
        if (!bodyRead) {
          reserved.close();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ImageFailureException.retryable("interrupted while waiting for memory", e);
    } catch (IOException | ForbiddenAddressException e) {
      if (expired.get()) {
        throw RetryClassifier.tooSlow(totalTimeout);
      }
      throw RetryClassifier.forException(e, uri);
    } finally {
      timer.cancel(false);
      // Closing a response whose body was not read to the end drains the rest of it (to reuse
      // the connection), which could mean 100 MB or a stalled server; cancelling drops the
      // connection instead.
      if (!bodyRead) {
        get.cancel();
      }
      closeQuietly(response);
    }
  }

  /** What to reserve before reading: the declared length, or the cap when none is declared. */
  private long expectedSize(HttpEntity entity) {
    long declared = entity == null ? 0 : entity.getContentLength();
    return declared >= 0 ? Math.min(declared, maxBytes.toBytes()) : maxBytes.toBytes();
  }

  private byte[] readCapped(HttpEntity entity) throws IOException {
    if (entity == null) {
      return new byte[0];
    }
    long limit = maxBytes.toBytes();
    if (entity.getContentLength() > limit) {
      throw RetryClassifier.tooLarge(maxBytes);
    }
    // Not closed here on purpose: see the finally in request(). Reaching the end of the stream
    // hands the connection back to the pool by itself.
    InputStream in = entity.getContent();
    byte[] body = in.readNBytes((int) limit + 1);
    if (body.length > limit) {
      throw RetryClassifier.tooLarge(maxBytes);
    }
    return body;
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
    Header header = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
    return header == null ? null : header.getValue();
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
