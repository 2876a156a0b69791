package io.imgpress.webhook.http;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.net.FetchProperties;
import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.net.OutboundGuard;
import io.imgpress.net.OutboundHttpClients;
import io.imgpress.webhook.WebhookProperties;
import io.imgpress.webhook.WebhookSender;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.springframework.stereotype.Component;

/**
 * {@link WebhookSender} over the guarded outbound HTTP client: the receiver's address is checked
 * like any image source's, and redirects are not followed (a receiver answers where it is told).
 *
 * <p>One delivery has one deadline, {@code imgpress.webhook.timeout}, for connecting, sending, and
 * the status line and headers of the answer: when it passes the request is aborted, however the
 * receiver spreads its bytes out. The answer's body is never read; its status decides, and the
 * connection is dropped rather than drained for reuse.
 */
@ConditionalOnWorkerRole
@Component
class HttpWebhookSender implements WebhookSender, AutoCloseable {

  private final OutboundGuard guard;
  private final CloseableHttpClient http;
  private final Duration deadline;
  private final ScheduledExecutorService aborts =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("imgpress-webhook-deadline").factory());

  HttpWebhookSender(WebhookProperties webhook, FetchProperties fetch) {
    this.guard = OutboundGuard.forWebhooks(fetch);
    this.deadline = webhook.timeout();
    // Per-step timeouts at the deadline too: no step can outlast the whole.
    this.http =
        OutboundHttpClients.create(new OutboundHttpClients.Settings(deadline, deadline, 4), guard);
  }

  @Override
  public Delivery send(URI requested, byte[] body, Map<String, String> headers) {
    // Credentials in the URL are not sent (HttpClient refuses them): the receiver is the host.
    URI url = OutboundGuard.withoutUserInfo(requested);
    try {
      guard.checkUri(url);
    } catch (IllegalArgumentException e) {
      return Delivery.failed("invalid webhook URL: " + e.getMessage());
    } catch (ForbiddenAddressException e) {
      return Delivery.failed(e.clientMessage(url.getHost()));
    }
    HttpPost post = new HttpPost(url);
    headers.forEach(post::setHeader);
    post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> abort =
        aborts.schedule(
            () -> {
              expired.set(true);
              post.cancel();
            },
            deadline.toNanos(),
            TimeUnit.NANOSECONDS);
    ClassicHttpResponse response = null;
    try {
      response = http.executeOpen(null, post, null);
      int status = response.getCode();
      return status >= 200 && status < 300
          ? Delivery.ok()
          : Delivery.failed("HTTP " + status + " from receiver");
    } catch (ForbiddenAddressException e) {
      return Delivery.failed(e.clientMessage(url.getHost()));
    } catch (UnknownHostException e) {
      return Delivery.failed("host not found: " + url.getHost());
    } catch (IOException | RuntimeException e) {
      // A connect or read timeout is the deadline too: each is set to it.
      if (expired.get() || e instanceof InterruptedIOException) {
        return Delivery.failed(WebhookSender.noAnswerWithin(deadline));
      }
      return e instanceof IOException
          ? Delivery.failed("no answer: " + e.getClass().getSimpleName())
          : Delivery.failed("delivery failed: " + e.getClass().getSimpleName());
    } finally {
      abort.cancel(false);
      // Closing a response drains its body to reuse the connection, which a receiver could make
      // last for ever; cancelling first closes the connection instead.
      post.cancel();
      closeQuietly(response);
    }
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
    aborts.shutdownNow();
    http.close();
  }
}
