package io.imgpress.processing;

import io.imgpress.queue.Backoff;
import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.LeaseLostException;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.RequestFinishedListener;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Processes one image job: runs the pipeline, then records the outcome and completes or reschedules
 * the job in one transaction, so a crash at any point leaves either the old state (the job runs
 * again) or the new one, never an image marked done without its output.
 *
 * <p>The job's lease handle is the image's owner for the attempt: should the lease be lost and the
 * job go to another worker, the request store and the queue both refuse this worker's outcome, and
 * the worker leaves the job alone. A job handed out more often than {@code max-deliveries} fails
 * its image instead of trying it again, since its attempts keep being cut short.
 */
@Component
class ImageJobHandler implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(ImageJobHandler.class);

  private final ImageTransitions transitions;
  private final ImagePipeline pipeline;
  private final JobQueue queue;
  private final TransactionTemplate tx;
  private final List<RequestFinishedListener> listeners;
  private final Backoff backoff;
  private final int maxAttempts;
  private final int maxDeliveries;
  private final ProcessingMetrics metrics;
  private final Clock clock;

  ImageJobHandler(
      ImageTransitions transitions,
      ImagePipeline pipeline,
      JobQueue queue,
      TransactionTemplate tx,
      List<RequestFinishedListener> listeners,
      ProcessingProperties properties,
      ProcessingMetrics metrics,
      Clock clock) {
    this.transitions = transitions;
    this.pipeline = pipeline;
    this.queue = queue;
    this.tx = tx;
    this.listeners = listeners;
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    this.maxAttempts = properties.maxAttempts();
    this.maxDeliveries = properties.deliveryBound();
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public JobKind kind() {
    return JobKind.IMAGE;
  }

  @Override
  public void handle(ClaimedJob job) {
    long imageId = Long.parseLong(job.ref());
    Optional<ImageWork> started = tx.execute(s -> transitions.start(imageId, job.handle()));
    if (started.isEmpty()) {
      queue.complete(job); // final already: a job left over by a crash between the two writes
      return;
    }
    ImageWork work = started.get();
    MDC.put("requestId", work.requestId().toString());
    MDC.put("imageId", Long.toString(imageId));
    try {
      if (job.deliveries() > maxDeliveries) {
        giveUp(job, work);
      } else {
        process(job, work);
      }
    } finally {
      MDC.remove("requestId");
      MDC.remove("imageId");
    }
  }

  /**
   * Fails an image whose job was handed out more often than any healthy run needs: its attempts
   * keep being cut short, most likely because it kills the process (memory, a codec crash), and
   * trying again would take the service down again while other images wait.
   */
  private void giveUp(ClaimedJob job, ImageWork work) {
    Timer.Sample attempt = metrics.start();
    String message =
        "processing was interrupted or retried %d times; the image may be crashing the service"
            .formatted(job.deliveries() - 1);
    log.error("Image {} failed without another try: {}", work.imageId(), message);
    if (finish(job, work, () -> transitions.fail(work.imageId(), job.handle(), message))) {
      metrics.failed(attempt, FailureReason.INTERNAL);
    }
  }

  private void process(ClaimedJob job, ImageWork work) {
    Timer.Sample attempt = metrics.start();
    ImagePipeline.Result result;
    try {
      result = pipeline.process(work);
    } catch (ImageFailureException e) {
      onFailure(job, work, attempt, new Failure(e.getMessage(), e.isRetryable(), e.reason()), e);
      return;
    } catch (RuntimeException e) {
      log.error("Unexpected error processing image {}", work.imageId(), e);
      Failure failure =
          new Failure("internal error while processing the image", false, FailureReason.INTERNAL);
      onFailure(job, work, attempt, failure, e);
      return;
    }
    boolean applied;
    try {
      applied =
          finish(
              job,
              work,
              () ->
                  transitions.complete(
                      work.imageId(),
                      job.handle(),
                      result.key().publicPath(),
                      result.inputBytes(),
                      result.outputBytes()));
    } catch (LeaseLostException e) {
      throw e;
    } catch (RuntimeException e) {
      // The output is stored, only recording it failed (a lock timeout, a lost connection): that
      // is no fault of the image, so try again later instead of failing it.
      retryRecording(job, work, attempt, e);
      return;
    }
    if (applied) {
      metrics.completed(attempt, result.inputBytes(), result.outputBytes());
      log.info("Image done: {} -> {} bytes", result.inputBytes(), result.outputBytes());
    }
  }

  private void retryRecording(
      ClaimedJob job, ImageWork work, Timer.Sample attempt, RuntimeException cause) {
    var wait = backoff.after(work.attempt());
    log.warn(
        "Could not record the result of image {}; trying again in {} ms",
        work.imageId(),
        wait.toMillis(),
        cause);
    retry(job, work, attempt, "internal error while recording the result; retrying", wait);
  }

  /** What went wrong: the message the client sees and the reason metrics count it under. */
  private record Failure(String message, boolean retryable, FailureReason reason) {}

  private void onFailure(
      ClaimedJob job, ImageWork work, Timer.Sample attempt, Failure failure, Exception cause) {
    String message = failure.message();
    if (failure.retryable() && work.attempt() < maxAttempts) {
      var wait = backoff.after(work.attempt());
      log.info(
          "Attempt {} failed ({}); retrying in {} ms",
          work.attempt(),
          message,
          wait.toMillis(),
          cause);
      retry(job, work, attempt, message, wait);
      return;
    }
    log.info("Image failed after {} attempt(s): {}", work.attempt(), message, cause);
    if (finish(job, work, () -> transitions.fail(work.imageId(), job.handle(), message))) {
      metrics.failed(attempt, failure.reason());
    }
  }

  /** Puts the image back to pending and its job back in the queue until {@code wait} passed. */
  private void retry(
      ClaimedJob job, ImageWork work, Timer.Sample attempt, String message, Duration wait) {
    Boolean retried =
        tx.execute(
            s -> {
              if (!transitions.retry(work.imageId(), job.handle(), message)) {
                return false;
              }
              queue.rescheduleHeld(job, clock.instant().plus(wait));
              return true;
            });
    if (Boolean.TRUE.equals(retried)) {
      metrics.retried(attempt);
    } else {
      takenOver(work);
    }
  }

  /**
   * Applies a final transition and completes the job; false if the image was no longer this
   * worker's, in which case the job is left to the worker that took it over.
   */
  private boolean finish(ClaimedJob job, ImageWork work, Supplier<Outcome> transition) {
    Outcome outcome =
        tx.execute(
            s -> {
              Outcome o = transition.get();
              if (!o.applied()) {
                return o;
              }
              if (o.finishedRequest()) {
                listeners.forEach(l -> l.requestFinished(o.requestId(), o.requestStatus()));
              }
              queue.completeHeld(job);
              return o;
            });
    if (outcome == null || !outcome.applied()) {
      takenOver(work);
      return false;
    }
    return true;
  }

  /** The image changed hands while this worker ran (its lease ran out): its outcome is dropped. */
  private static void takenOver(ImageWork work) {
    log.warn(
        "Image {} was taken over by another worker; this attempt's outcome is dropped",
        work.imageId());
  }
}
