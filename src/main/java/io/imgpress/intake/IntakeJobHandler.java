package io.imgpress.intake;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.Backoff;
import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.request.RequestFinishedListener;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.stereotype.Component;

/**
 * Expands a staged upload into its products and images; the store records one job per image in its
 * outbox in the same step, and the intake job completes after it. A crash in between leaves the
 * intake job, which runs again and finds the upload expanded.
 *
 * <p>An expansion that cannot succeed ends its request instead of being tried forever: one the
 * database refuses for good (a value that does not fit a column) fails it at once, any other error
 * is tried again with backoff until {@code imgpress.intake.max-attempts}, and a job handed out more
 * often than that without an outcome (its workers died on it) fails it without another try. The
 * request then becomes {@code failed} with the reason, and its listeners (the webhook) are told.
 */
@ConditionalOnWorkerRole
@Component
class IntakeJobHandler implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(IntakeJobHandler.class);

  private final RequestRepository requests;
  private final JobQueue queue;
  private final OutboxRelay relay;
  private final List<RequestFinishedListener> listeners;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Clock clock;

  IntakeJobHandler(
      RequestRepository requests,
      JobQueue queue,
      OutboxRelay relay,
      List<RequestFinishedListener> listeners,
      IntakeProperties properties,
      Clock clock) {
    this.requests = requests;
    this.queue = queue;
    this.relay = relay;
    this.listeners = List.copyOf(listeners);
    this.maxAttempts = properties.maxAttempts();
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    this.clock = clock;
  }

  @Override
  public JobKind kind() {
    return JobKind.INTAKE;
  }

  @Override
  public void handle(ClaimedJob job) {
    UUID requestId = UUID.fromString(job.ref());
    int attempt = job.deliveries();
    if (attempt > maxAttempts) {
      fail(
          job,
          requestId,
          "the upload could not be processed: its expansion into images stopped %d times without an outcome"
              .formatted(attempt - 1));
      return;
    }
    try {
      expand(job, requestId);
    } catch (RuntimeException e) {
      if (isPermanent(e)) {
        log.error("Request {}: its rows cannot be stored; failing it", requestId, e);
        fail(job, requestId, "the upload could not be stored for processing: " + describe(e));
      } else if (attempt >= maxAttempts) {
        log.error("Request {}: expansion failed {} times; failing it", requestId, attempt, e);
        fail(
            job,
            requestId,
            "the upload could not be processed after %d attempts: %s"
                .formatted(attempt, describe(e)));
      } else {
        Duration wait = backoff.after(attempt);
        log.warn(
            "Request {}: expansion failed (attempt {}), retrying in {}",
            requestId,
            attempt,
            wait,
            e);
        if (!queue.reschedule(job, clock.instant().plus(wait))) {
          log.warn("Request {}: lease lost before the retry was scheduled", requestId);
        }
      }
    }
  }

  private void expand(ClaimedJob job, UUID requestId) {
    int images = requests.expand(requestId).map(List::size).orElse(0);
    if (images > 0) {
      relay.kick();
      log.info("Request {}: queued {} images", requestId, images);
    }
    complete(job, requestId);
  }

  /** Ends the request as failed, then the job. */
  private void fail(ClaimedJob job, UUID requestId, String reason) {
    if (requests.failStaged(requestId, reason)) {
      listeners.forEach(l -> l.requestFinished(requestId, RequestStatus.FAILED));
      relay.kick(); // its webhook job, if it has a webhook
      log.warn("Request {} failed: {}", requestId, reason);
    }
    complete(job, requestId);
  }

  private void complete(ClaimedJob job, UUID requestId) {
    if (!queue.complete(job)) {
      // Another worker holds the job now; it will find the request settled and complete it.
      log.info("Request {}: the intake job's lease was lost before it was completed", requestId);
    }
  }

  /**
   * Whether trying again cannot help: the database refused the data itself (too long, out of range,
   * a broken constraint), not the connection to it.
   */
  private static boolean isPermanent(RuntimeException e) {
    return e instanceof NonTransientDataAccessException
        && !(e instanceof NonTransientDataAccessResourceException);
  }

  /** The root cause's message without the SQL statement the driver appends. */
  private static String describe(RuntimeException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    int statement = message.indexOf("; SQL statement:");
    return (statement < 0 ? message : message.substring(0, statement)).strip();
  }
}
