package io.imgpress.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.PublicUrls;
import io.imgpress.queue.Backoff;
import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Reschedule;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookStatus;
import io.imgpress.webhook.WebhookSender.Delivery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers a finished request's webhook, retrying with exponential backoff; every attempt and the
 * outcome are recorded on the request. Every attempt for one request carries the same {@code
 * X-Imgpress-Delivery} id, so a receiver can ignore a repeat (a retry after a lost answer, or after
 * a crash between sending and recording). One attempt takes at most the delivery deadline ({@code
 * imgpress.webhook.timeout}), far less than a job's lease, so a slow receiver can neither hold a
 * worker nor make its job run twice at once.
 */
@ConditionalOnWorkerRole
@Component
class WebhookJobHandler implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(WebhookJobHandler.class);

  /** How soon a webhook job that came before its request was final looks again. */
  static final Duration NOT_FINAL_RECHECK = Duration.ofSeconds(5);

  private final RequestRepository requests;
  private final WebhookLog webhookLog;
  private final WebhookSender sender;
  private final WebhookSigner signer;
  private final byte[] master;
  private final JobQueue queue;
  private final PublicUrls urls;
  private final JsonMapper json;
  private final WebhookMetrics metrics;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Duration deadline;
  private final Clock clock;

  WebhookJobHandler(
      RequestRepository requests,
      WebhookLog webhookLog,
      WebhookSender sender,
      WebhookSecret secret,
      JobQueue queue,
      PublicUrls urls,
      JsonMapper json,
      WebhookMetrics metrics,
      WebhookProperties properties,
      Clock clock) {
    this.requests = requests;
    this.webhookLog = webhookLog;
    this.sender = sender;
    this.master = secret.key();
    this.signer = new WebhookSigner(master);
    this.queue = queue;
    this.urls = urls;
    this.json = json;
    this.metrics = metrics;
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    this.maxAttempts = properties.maxAttempts();
    this.deadline = properties.timeout();
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
    if (!found.get().status().isFinal()) {
      // Relayed before its cause was recorded (a store without transactions writes the outbox
      // entry first, and one whose writer died is relayed anyway). Kept, not dropped: a queue that
      // holds it ignores the job the finishing change sends, so this one must go out then.
      queue.rescheduleAll(
          List.of(new Reschedule(job, clock.instant().plus(NOT_FINAL_RECHECK), true)));
      return;
    }
    Request request = found.get();
    int attempt = request.webhook().attempts() + 1;
    Optional<Delivery> sent = deliver(request);
    if (sent.isEmpty()) {
      // Shutting down: the job keeps its row and is handed out again (at once after a restart).
      log.info("Webhook for {} interrupted before its outcome was known", request.id());
      return;
    }
    Delivery delivery = sent.get();
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
      // Not recorded: another run of this job (ours outlived its lease) settled the webhook or got
      // further, and owns the job now. Recorded but not rescheduled (the lease was lost, or the
      // process died): the job comes back sooner than its backoff, which is harmless.
      if (webhookLog.record(request.id(), WebhookStatus.PENDING, attempt, delivery.error())
          && !queue.reschedule(job, clock.instant().plus(wait))) {
        log.info("Webhook for {}: lease lost before the retry was scheduled", request.id());
      }
      metrics.retry();
    } else {
      log.warn(
          "Webhook for {} failed after {} attempts: {}", request.id(), attempt, delivery.error());
      settle(job, request.id(), WebhookStatus.FAILED, attempt, delivery.error());
      metrics.failed();
    }
  }

  /** The owner's own secret signs their deliveries; a request without an owner, the master's. */
  private WebhookSigner signerFor(String owner) {
    return owner == null
        ? signer
        : new WebhookSigner(
            WebhookSigner.ownerSecret(master, owner).getBytes(StandardCharsets.UTF_8));
  }

  /** The outcome of one attempt, or empty when the worker was interrupted meanwhile. */
  private Optional<Delivery> deliver(Request request) {
    byte[] body = json.writeValueAsBytes(payload(request));
    long timestamp = clock.instant().getEpochSecond();
    String id = deliveryId(request.id());
    WebhookSigner signer = signerFor(request.owner());
    Map<String, String> headers =
        Map.of(
            "X-Imgpress-Event", "request.completed",
            "X-Imgpress-Delivery", id,
            "X-Imgpress-Timestamp", Long.toString(timestamp),
            "X-Imgpress-Signature", signer.sign(timestamp, body),
            // The same delivery signed the Standard Webhooks way (standardwebhooks.com).
            "webhook-id", id,
            "webhook-timestamp", Long.toString(timestamp),
            "webhook-signature", signer.signStandard(id, timestamp, body));
    String url = request.webhook().url();
    // The sender promises to end within the deadline; waiting on another thread keeps that promise
    // even for a sender that breaks it (a DNS lookup cannot be aborted, a bug), so a delivery never
    // holds this worker, or its job's lease, longer than the deadline.
    FutureTask<Delivery> sending =
        new FutureTask<>(() -> sender.send(URI.create(url), body, headers));
    Thread.ofVirtual().name("imgpress-webhook-send").start(sending);
    try {
      return Optional.of(sending.get(deadline.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      sending.cancel(true);
      return Optional.of(Delivery.failed(WebhookSender.noAnswerWithin(deadline)));
    } catch (ExecutionException e) {
      log.warn("Webhook sender threw for {} instead of reporting", request.id(), e.getCause());
      return Optional.of(
          Delivery.failed("delivery failed: " + e.getCause().getClass().getSimpleName()));
    } catch (InterruptedException e) {
      sending.cancel(true);
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
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
    // Recorded even when the lease was lost: a run that got through did deliver (the log keeps
    // whichever settles first); the job's current holder then finds the webhook settled.
    webhookLog.record(id, status, attempts, error);
    queue.complete(job);
  }
}
