package io.imgpress.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.imgpress.PublicUrls;
import io.imgpress.queue.Backoff;
import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookStatus;
import io.imgpress.webhook.WebhookSender.Delivery;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers a finished request's webhook, retrying with exponential backoff; every attempt and the
 * outcome are recorded on the request. Every attempt for one request carries the same {@code
 * X-Imgpress-Delivery} id, so a receiver can ignore a repeat (a retry after a lost answer, or after
 * a crash between sending and recording).
 */
@Component
class WebhookJobHandler implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(WebhookJobHandler.class);

  private final RequestRepository requests;
  private final WebhookLog webhookLog;
  private final WebhookSender sender;
  private final WebhookSigner signer;
  private final JobQueue queue;
  private final TransactionTemplate tx;
  private final PublicUrls urls;
  private final JsonMapper json;
  private final WebhookMetrics metrics;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Clock clock;

  WebhookJobHandler(
      RequestRepository requests,
      WebhookLog webhookLog,
      WebhookSender sender,
      WebhookSecret secret,
      JobQueue queue,
      TransactionTemplate tx,
      PublicUrls urls,
      JsonMapper json,
      WebhookMetrics metrics,
      WebhookProperties properties,
      Clock clock) {
    this.requests = requests;
    this.webhookLog = webhookLog;
    this.sender = sender;
    this.signer = new WebhookSigner(secret.key());
    this.queue = queue;
    this.tx = tx;
    this.urls = urls;
    this.json = json;
    this.metrics = metrics;
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    this.maxAttempts = properties.maxAttempts();
    this.clock = clock;
  }

  @Override
  public JobKind kind() {
    return JobKind.WEBHOOK;
  }

  @Override
  public void handle(ClaimedJob job) {
    try (var _ = MDC.putCloseable("requestId", job.ref())) {
      attempt(job);
    }
  }

  private void attempt(ClaimedJob job) {
    Optional<Request> found = requests.find(UUID.fromString(job.ref()));
    if (found.isEmpty()
        || found.get().webhook() == null
        || found.get().webhook().status() != WebhookStatus.PENDING) {
      queue.complete(job);
      return;
    }
    Request request = found.get();
    int attempt = request.webhook().attempts() + 1;
    Delivery delivery = deliver(request);
    if (delivery.delivered()) {
      log.info("Webhook for {} delivered on attempt {}", request.id(), attempt);
      settle(job, request.id(), WebhookStatus.DELIVERED, attempt, null);
      metrics.delivered();
    } else if (attempt < maxAttempts) {
      var wait = backoff.after(attempt);
      log.info(
          "Webhook for {} attempt {} failed ({}); retrying in {} ms",
          request.id(),
          attempt,
          delivery.error(),
          wait.toMillis());
      tx.executeWithoutResult(
          s -> {
            // Not recorded: another run of this job (ours outlived its lease) settled the webhook
            // or got further, and owns the job now.
            if (webhookLog.record(request.id(), WebhookStatus.PENDING, attempt, delivery.error())) {
              queue.reschedule(job, clock.instant().plus(wait));
            }
          });
      metrics.retry();
    } else {
      log.warn(
          "Webhook for {} failed after {} attempts: {}", request.id(), attempt, delivery.error());
      settle(job, request.id(), WebhookStatus.FAILED, attempt, delivery.error());
      metrics.failed();
    }
  }

  private Delivery deliver(Request request) {
    byte[] body = json.writeValueAsBytes(payload(request));
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers =
        Map.of(
            "X-Imgpress-Event", "request.completed",
            "X-Imgpress-Delivery", deliveryId(request.id()),
            "X-Imgpress-Timestamp", Long.toString(timestamp),
            "X-Imgpress-Signature", signer.sign(timestamp, body));
    return sender.send(URI.create(request.webhook().url()), body, headers);
  }

  static String deliveryId(UUID requestId) {
    return UUID.nameUUIDFromBytes(("request.completed:" + requestId).getBytes(UTF_8)).toString();
  }

  private WebhookPayload payload(Request r) {
    return new WebhookPayload(
        "request.completed",
        r.id(),
        r.status(),
        r.totalImages(),
        r.processedImages(),
        r.failedImages(),
        urls.csvUrl(r.id()),
        urls.statusUrl(r.id()));
  }

  private void settle(ClaimedJob job, UUID id, WebhookStatus status, int attempts, String error) {
    tx.executeWithoutResult(
        s -> {
          webhookLog.record(id, status, attempts, error);
          queue.complete(job);
        });
  }
}
