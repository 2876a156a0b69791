package io.imgpress.intake;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.Backoff;
import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.LeaseLostException;
import io.imgpress.queue.WorkSignal;
import io.imgpress.request.RequestFinishedListener;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expands a staged upload into its products and images and queues one job per image, all in one
 * transaction with the completion of the intake job: a crash leaves either the staged upload (and
 * its job runs again) or the whole expansion.
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
  private final WorkSignal signal;
  private final TransactionTemplate tx;
  private final List<RequestFinishedListener> listeners;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Clock clock;

  IntakeJobHandler(
      RequestRepository requests,
      JobQueue queue,
      WorkSignal signal,
      TransactionTemplate tx,
      List<RequestFinishedListener> listeners,
      IntakeProperties properties,
      Clock clock) {
    this.requests = requests;
    this.queue = queue;
    this.signal = signal;
    this.tx = tx;
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
    } catch (LeaseLostException e) {
      throw e;
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
    Instant now = clock.instant();
    Integer images =
        tx.execute(
            s -> {
              List<Long> imageIds = requests.expand(requestId).orElse(List.of());
              // Ranked by position, so this request's images take turns with other requests'.
              queue.enqueue(
                  IntStream.range(0, imageIds.size())
                      .mapToObj(
                          i ->
                              new JobQueue.Job(
                                  JobKind.IMAGE, Long.toString(imageIds.get(i)), now, i))
                      .toList());
              queue.completeHeld(job);
              return imageIds.size();
            });
    if (images > 0) {
      signal.jobsAdded(images);
      log.info("Request {}: queued {} images", requestId, images);
    }
  }

  /** Ends the request as failed and the job with it, in one transaction. */
  private void fail(ClaimedJob job, UUID requestId, String reason) {
    boolean failed =
        Boolean.TRUE.equals(
            tx.execute(
                s -> {
                  boolean applied = requests.failStaged(requestId, reason);
                  if (applied) {
                    listeners.forEach(l -> l.requestFinished(requestId, RequestStatus.FAILED));
                  }
                  queue.completeHeld(job);
                  return applied;
                }));
    if (failed) {
      log.warn("Request {} failed: {}", requestId, reason);
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
