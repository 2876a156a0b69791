package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.standardwebhooks.Webhook;
import io.imgpress.ImgpressProperties;
import io.imgpress.TestUrls;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookStatus;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import io.imgpress.webhook.WebhookSender.Delivery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's decisions for one webhook, on the real JDBC adapters and a scripted sender: deliver
 * and settle, retry with backoff, fail for good, leave a settled webhook alone, and never be held
 * past the delivery deadline.
 */
class WebhookJobHandlerTest {

  static final String SECRET = "handler-test-secret";
  static final Duration DEADLINE = Duration.ofSeconds(3);
  static final int MAX_ATTEMPTS = 3;

  record Call(URI url, byte[] body, Map<String, String> headers) {}

  final MutableClock clock = new MutableClock();
  final MeterRegistry registry = new SimpleMeterRegistry();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final CountDownLatch never = new CountDownLatch(1);
  final JsonMapper json = JsonMapper.builder().build();
  Function<Call, Delivery> receiver;
  RequestRepository requests;
  WebhookLog webhookLog;
  JobQueue queue;
  WebhookJobHandler handler;
  UUID requestId;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    webhookLog = JdbcStores.webhookLog(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    WebhookProperties properties =
        new WebhookProperties(
            SECRET, MAX_ATTEMPTS, Duration.ofSeconds(2), Duration.ofMinutes(10), DEADLINE, 2);
    WebhookSender sender =
        (url, body, headers) -> {
          Call call = new Call(url, body, headers);
          calls.add(call);
          return receiver.apply(call);
        };
    handler =
        new WebhookJobHandler(
            requests,
            webhookLog,
            sender,
            new WebhookSecret(properties, new ImgpressProperties(Path.of("."), null)),
            queue,
            TestUrls.at("https://imgpress.test"),
            json,
            new WebhookMetrics(registry),
            properties,
            clock);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            "https://hooks.test/imgpress",
            List.of(new NewProduct(1, "a", List.of("http://o/1"))));
    requestId = request.id();
    requests.stage(request);
    requests.failStaged(requestId, "finished"); // webhooks go out for final requests only
    queue.enqueue(
        List.of(new JobQueue.Job(JobKind.WEBHOOK, requestId.toString(), clock.instant())));
  }

  @AfterEach
  void release() {
    never.countDown();
  }

  @Test
  void deliversASignedPayloadAndSettles() {
    receiver = call -> Delivery.ok();
    assertThat(runDueJob()).isTrue();

    assertThat(webhook())
        .isEqualTo(
            new Request.Webhook("https://hooks.test/imgpress", WebhookStatus.DELIVERED, 1, null));
    assertThat(queue.depth().jobs()).as("the job is done").isZero();
    assertThat(count("delivered")).isEqualTo(1);

    Call call = calls.getFirst();
    assertThat(call.url()).isEqualTo(URI.create("https://hooks.test/imgpress"));
    JsonNode payload = json.readTree(call.body());
    assertThat(payload.get("event").asString()).isEqualTo("request.completed");
    assertThat(payload.get("requestId").asString()).isEqualTo(requestId.toString());
    assertThat(payload.get("csvUrl").asString())
        .isEqualTo("https://imgpress.test/csv/" + requestId);
    long timestamp = Long.parseLong(call.headers().get("X-Imgpress-Timestamp"));
    assertThat(call.headers().get("X-Imgpress-Signature"))
        .isEqualTo(
            new WebhookSigner(SECRET.getBytes(StandardCharsets.UTF_8))
                .sign(timestamp, call.body()));
    assertThat(call.headers().get("X-Imgpress-Delivery"))
        .isEqualTo(WebhookJobHandler.deliveryId(requestId));
  }

  @Test
  void anOwnersDeliveryIsSignedWithTheOwnersSecretAndNoOtherBothWays() throws Exception {
    queue.claim(Duration.ofMinutes(1)).ifPresent(queue::complete); // the ownerless request's job
    NewRequest owned =
        new NewRequest(
            UUID.randomUUID(),
            "alice",
            50,
            "https://hooks.test/alice",
            List.of(new NewProduct(1, "a", List.of("http://o/1"))));
    requests.stage(owned);
    requests.failStaged(owned.id(), "finished");
    queue.enqueue(
        List.of(new JobQueue.Job(JobKind.WEBHOOK, owned.id().toString(), clock.instant())));
    receiver = call -> Delivery.ok();
    assertThat(runDueJob()).isTrue();

    Call call = calls.getFirst();
    String id = call.headers().get("webhook-id");
    long timestamp = Long.parseLong(call.headers().get("webhook-timestamp"));
    String body = new String(call.body(), StandardCharsets.UTF_8);
    OwnerWebhookSecrets secrets =
        new OwnerWebhookSecrets(
            new WebhookProperties(
                SECRET, MAX_ATTEMPTS, Duration.ofSeconds(2), Duration.ofMinutes(10), DEADLINE, 2),
            new StaticListableBeanFactory().getBeanProvider(WebhookSecret.class));
    OwnerWebhookSecrets.OwnerSecret alice = secrets.of("alice").orElseThrow();
    OwnerWebhookSecrets.OwnerSecret bob = secrets.of("bob").orElseThrow();
    assertThat(alice.secret()).isNotEqualTo(bob.secret()).isNotEqualTo(SECRET).hasSize(64);

    // What a receiver does with the secrets GET /webhook-secret gives each owner.
    assertThat(call.headers().get("webhook-signature"))
        .isEqualTo(new Webhook(alice.standardSecret()).sign(id, timestamp, body))
        .isNotEqualTo(new Webhook(bob.standardSecret()).sign(id, timestamp, body))
        .isNotEqualTo(
            new WebhookSigner(SECRET.getBytes(StandardCharsets.UTF_8))
                .signStandard(id, timestamp, call.body()));
    long imgpressTimestamp = Long.parseLong(call.headers().get("X-Imgpress-Timestamp"));
    assertThat(call.headers().get("X-Imgpress-Signature"))
        .isEqualTo(
            new WebhookSigner(alice.secret().getBytes(StandardCharsets.UTF_8))
                .sign(imgpressTimestamp, call.body()))
        .isNotEqualTo(
            new WebhookSigner(bob.secret().getBytes(StandardCharsets.UTF_8))
                .sign(imgpressTimestamp, call.body()))
        .isNotEqualTo(
            new WebhookSigner(SECRET.getBytes(StandardCharsets.UTF_8))
                .sign(imgpressTimestamp, call.body()));
  }

  @Test
  void retriesAFailedAttemptAfterItsBackoffAndKeepsTheReason() {
    receiver = call -> Delivery.failed("HTTP 500 from receiver");
    runDueJob();

    assertThat(webhook())
        .isEqualTo(
            new Request.Webhook(
                "https://hooks.test/imgpress", WebhookStatus.PENDING, 1, "HTTP 500 from receiver"));
    assertThat(queue.claim(Duration.ofMinutes(1))).as("not before its backoff").isEmpty();
    clock.advance(Duration.ofMillis(2_500)); // 2 s + 20% jitter
    receiver = call -> Delivery.ok();
    assertThat(runDueJob()).isTrue();

    assertThat(webhook().status()).isEqualTo(WebhookStatus.DELIVERED);
    assertThat(webhook().attempts()).isEqualTo(2);
    assertThat(count("retry")).isEqualTo(1);
    assertThat(count("delivered")).isEqualTo(1);
    assertThat(calls)
        .extracting(c -> c.headers().get("X-Imgpress-Delivery"))
        .as("one delivery id on every attempt")
        .containsOnly(WebhookJobHandler.deliveryId(requestId));
  }

  @Test
  void failsForGoodAfterTheLastAttempt() {
    receiver = call -> Delivery.failed("HTTP 502 from receiver");
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      assertThat(runDueJob()).as("attempt %d due", attempt).isTrue();
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(webhook())
        .isEqualTo(
            new Request.Webhook(
                "https://hooks.test/imgpress",
                WebhookStatus.FAILED,
                MAX_ATTEMPTS,
                "HTTP 502 from receiver"));
    assertThat(queue.depth().jobs()).isZero();
    assertThat(calls).hasSize(MAX_ATTEMPTS);
    assertThat(count("retry")).isEqualTo(MAX_ATTEMPTS - 1);
    assertThat(count("failed")).isEqualTo(1);
  }

  @Test
  void theWebhookOfADeletedRequestIsNotSentAndItsJobCompletes() {
    receiver = call -> Delivery.ok();
    assertThat(requests.delete(requestId, clock.instant())).isTrue();

    assertThat(runDueJob()).isTrue();

    assertThat(calls).isEmpty();
    assertThat(queue.depth().jobs()).as("completed, not retried").isZero();
    assertThat(webhookLog.record(requestId, WebhookStatus.DELIVERED, 1, null)).isFalse();
  }

  @Test
  void aSettledWebhookIsNotSentAgain() {
    webhookLog.record(requestId, WebhookStatus.DELIVERED, 1, null);
    receiver = call -> Delivery.ok();
    runDueJob();

    assertThat(calls).isEmpty();
    assertThat(queue.depth().jobs()).isZero();
    assertThat(webhook().status()).isEqualTo(WebhookStatus.DELIVERED);
  }

  @Test
  void aFailureOfAStaleRunDoesNotSetADeliveredWebhookBackToPending() {
    // Issue 9: this run outlived its lease; meanwhile another run of the same job delivered the
    // webhook and completed the job. This run's late failure must change nothing.
    receiver =
        call -> {
          clock.advance(
              Duration.ofMinutes(11)); // this run's lease runs out; another claims the job
          webhookLog.record(requestId, WebhookStatus.DELIVERED, 1, null);
          queue.complete(queue.claim(Duration.ofMinutes(10)).orElseThrow());
          return Delivery.failed("no answer within 3s");
        };
    runDueJobWithLease(Duration.ofMinutes(10));

    assertThat(webhook())
        .isEqualTo(
            new Request.Webhook("https://hooks.test/imgpress", WebhookStatus.DELIVERED, 1, null));
    assertThat(queue.depth().jobs()).isZero();
  }

  @Test
  void aFailureOfAStaleRunLeavesTheJobToTheNewerRun() {
    // Another run got to attempt 2 meanwhile and rescheduled the job for an hour later; this run's
    // attempt-1 failure must neither overwrite that nor bring the job forward.
    receiver =
        call -> {
          clock.advance(Duration.ofMinutes(11));
          ClaimedJob theirs = queue.claim(Duration.ofMinutes(10)).orElseThrow();
          webhookLog.record(requestId, WebhookStatus.PENDING, 2, "HTTP 503 from receiver");
          queue.reschedule(theirs, clock.instant().plus(Duration.ofHours(1)));
          return Delivery.failed("HTTP 500 from receiver");
        };
    runDueJobWithLease(Duration.ofMinutes(10));

    assertThat(webhook().attempts()).isEqualTo(2);
    assertThat(webhook().error()).isEqualTo("HTTP 503 from receiver");
    clock.advance(Duration.ofMinutes(5));
    assertThat(queue.claim(Duration.ofMinutes(1))).as("still an hour away").isEmpty();
  }

  @Test
  void aSenderThatHangsIsCutOffAtTheDeadlineAndRetried() throws Exception {
    CountDownLatch hungSenderStopped = new CountDownLatch(1);
    // A sender that breaks its own deadline (a DNS lookup that cannot be aborted, a bug) must not
    // hold the worker: the handler waits no longer than the deadline.
    receiver =
        call -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            hungSenderStopped.countDown();
          }
          return Delivery.ok();
        };
    assertTimeoutPreemptively(Duration.ofSeconds(20), this::runDueJob);
    assertThat(hungSenderStopped.await(10, TimeUnit.SECONDS))
        .as("the late send is cancelled")
        .isTrue();

    assertThat(webhook().status()).isEqualTo(WebhookStatus.PENDING);
    assertThat(webhook().attempts()).isEqualTo(1);
    assertThat(webhook().error()).isEqualTo(WebhookSender.noAnswerWithin(DEADLINE));
    assertThat(queue.depth().jobs()).as("rescheduled, not lost").isEqualTo(1);
  }

  @Test
  void aSenderThatThrowsCountsAsAFailedAttempt() {
    receiver =
        call -> {
          throw new IllegalStateException("bug in a sender");
        };
    runDueJob();

    assertThat(webhook().status()).isEqualTo(WebhookStatus.PENDING);
    assertThat(webhook().attempts()).isEqualTo(1);
    assertThat(webhook().error()).isEqualTo("delivery failed: IllegalStateException");
    assertThat(count("retry")).isEqualTo(1);
  }

  @Test
  void handlesWebhookJobs() {
    assertThat(handler.kind()).isEqualTo(JobKind.WEBHOOK);
  }

  @Test
  void sendsTheEventTimestampAndAStableDeliveryIdPerRequest() {
    receiver = call -> Delivery.ok();
    clock.advance(Duration.ofSeconds(42));
    runDueJob();

    Map<String, String> headers = calls.getFirst().headers();
    assertThat(headers.get("X-Imgpress-Event")).isEqualTo("request.completed");
    assertThat(headers.get("X-Imgpress-Timestamp"))
        .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
    String expectedId =
        UUID.nameUUIDFromBytes(("request.completed:" + requestId).getBytes(StandardCharsets.UTF_8))
            .toString();
    assertThat(headers.get("X-Imgpress-Delivery")).isEqualTo(expectedId);
    assertThat(WebhookJobHandler.deliveryId(UUID.randomUUID())).isNotEqualTo(expectedId);
  }

  @Test
  void thePayloadDescribesTheFinishedRequest() {
    receiver = call -> Delivery.ok();
    Request request = requests.find(requestId).orElseThrow();
    runDueJob();

    JsonNode payload = json.readTree(calls.getFirst().body());
    assertThat(payload.get("status").asString()).isEqualTo("failed");
    assertThat(request.status().name()).isEqualTo("FAILED");
    assertThat(payload.get("totalImages").asInt()).isEqualTo(request.totalImages()).isEqualTo(1);
    assertThat(payload.get("processedImages").asInt()).isEqualTo(request.processedImages());
    assertThat(payload.get("failedImages").asInt()).isEqualTo(request.failedImages());
    assertThat(payload.get("statusUrl").asString())
        .isEqualTo("https://imgpress.test/status/" + requestId);
  }

  @Test
  void eachRetryWaitsItsOwnGrowingBackoff() {
    // A short lease, so only the reschedule (not a lease still running) keeps the job back.
    Duration lease = Duration.ofMillis(100);
    receiver = call -> Delivery.failed("HTTP 500 from receiver");
    assertThat(runDueJobWithLease(lease)).isTrue();

    clock.advance(Duration.ofMillis(1_500)); // below 2 s - 20%
    assertThat(runDueJobWithLease(lease)).as("first backoff not over").isFalse();
    clock.advance(Duration.ofMillis(1_000)); // 2.5 s: above 2 s + 20%
    assertThat(runDueJobWithLease(lease)).as("second attempt due").isTrue();

    clock.advance(Duration.ofMillis(3_000)); // below 4 s - 20%
    assertThat(runDueJobWithLease(lease)).as("second backoff is doubled").isFalse();
    clock.advance(Duration.ofMillis(2_000)); // 5 s: above 4 s + 20%
    assertThat(runDueJobWithLease(lease)).as("third attempt due").isTrue();

    assertThat(calls).hasSize(3);
    assertThat(webhook().status()).isEqualTo(WebhookStatus.FAILED);
  }

  @Test
  void aJobForARequestNotFinalYetWaitsForItWithoutSending() {
    // An outbox entry whose writer died before the change that finishes the request is relayed
    // anyway, early. A queue that holds the job ignores the one the finishing change sends, so
    // this one is kept and goes out once the request is final.
    NewRequest running =
        new NewRequest(
            UUID.randomUUID(),
            50,
            "https://hooks.test/early",
            List.of(new NewProduct(1, "a", List.of("http://o/1"))));
    requests.stage(running);
    queue.complete(queue.claim(Duration.ofMinutes(1)).orElseThrow());
    queue.enqueue(
        List.of(new JobQueue.Job(JobKind.WEBHOOK, running.id().toString(), clock.instant())));
    receiver = call -> Delivery.ok();

    assertThat(runDueJob()).isTrue();

    assertThat(calls).isEmpty();
    assertThat(requests.find(running.id()).orElseThrow().webhook().status())
        .isEqualTo(WebhookStatus.PENDING);
    assertThat(runDueJob()).as("not due again before the recheck").isFalse();
    clock.advance(WebhookJobHandler.NOT_FINAL_RECHECK);
    requests.failStaged(running.id(), "finished now");
    ClaimedJob again = queue.claim(Duration.ofMinutes(1)).orElseThrow();
    assertThat(again.deliveries()).as("waiting does not count as a delivery").isEqualTo(1);
    handler.handle(again);

    assertThat(calls).hasSize(1);
    assertThat(requests.find(running.id()).orElseThrow().webhook().status())
        .isEqualTo(WebhookStatus.DELIVERED);
  }

  @Test
  void aJobForAnUnknownRequestIsDroppedWithoutSending() {
    UUID unknown = UUID.randomUUID();
    queue.enqueue(List.of(new JobQueue.Job(JobKind.WEBHOOK, unknown.toString(), clock.instant())));
    receiver = call -> Delivery.ok();
    runDueJob();
    runDueJob();

    assertThat(calls).extracting(Call::url).containsOnly(URI.create("https://hooks.test/imgpress"));
    assertThat(queue.depth().jobs()).isZero();
  }

  @Test
  void aJobForARequestWithoutWebhookIsDroppedWithoutSending() {
    NewRequest plain =
        new NewRequest(
            UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "b", List.of("http://o/2"))));
    requests.stage(plain);
    queue.complete(queue.claim(Duration.ofMinutes(1)).orElseThrow()); // the hooked one's job
    queue.enqueue(
        List.of(new JobQueue.Job(JobKind.WEBHOOK, plain.id().toString(), clock.instant())));
    receiver = call -> Delivery.ok();

    assertThat(runDueJob()).isTrue();
    assertThat(calls).isEmpty();
    assertThat(queue.depth().jobs()).isZero();
  }

  @Test
  void aWebhookThatFailedForGoodIsNotSentAgain() {
    webhookLog.record(requestId, WebhookStatus.FAILED, MAX_ATTEMPTS, "HTTP 502 from receiver");
    receiver = call -> Delivery.ok();
    runDueJob();

    assertThat(calls).isEmpty();
    assertThat(queue.depth().jobs()).isZero();
    assertThat(webhook().status()).isEqualTo(WebhookStatus.FAILED);
    assertThat(count("delivered")).isZero();
  }

  @Test
  void aWorkerInterruptedWhileSendingLeavesTheJobAndStopsTheSender() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch senderStopped = new CountDownLatch(1);
    receiver =
        call -> {
          sending.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            senderStopped.countDown();
          }
          return Delivery.ok();
        };
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread worker =
        Thread.ofPlatform()
            .start(
                () -> {
                  runDueJob();
                  stillInterrupted.set(Thread.currentThread().isInterrupted());
                });
    assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
    worker.interrupt();
    worker.join(10_000);

    assertThat(worker.isAlive()).isFalse();
    assertThat(stillInterrupted).as("the interrupt is kept for the worker loop").isTrue();
    assertThat(senderStopped.await(10, TimeUnit.SECONDS)).as("the send is cancelled").isTrue();
    assertThat(webhook())
        .as("nothing recorded: the outcome is unknown")
        .isEqualTo(
            new Request.Webhook("https://hooks.test/imgpress", WebhookStatus.PENDING, 0, null));
    assertThat(queue.depth().jobs()).as("the job keeps its row").isEqualTo(1);
    assertThat(count("delivered") + count("retry") + count("failed")).isZero();
  }

  /** Claims the due job, if any, and runs it; true when there was one. */
  private boolean runDueJob() {
    return runDueJobWithLease(Duration.ofMinutes(1));
  }

  private boolean runDueJobWithLease(Duration lease) {
    Optional<ClaimedJob> job = queue.claim(lease);
    job.ifPresent(handler::handle);
    return job.isPresent();
  }

  private Request.Webhook webhook() {
    return requests.find(requestId).orElseThrow().webhook();
  }

  private double count(String outcome) {
    return registry.get(WebhookMetrics.DELIVERIES).tag("outcome", outcome).counter().count();
  }
}
