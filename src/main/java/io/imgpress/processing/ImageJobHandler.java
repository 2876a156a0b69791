package io.imgpress.processing;

import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.RequestFinishedListener;
import java.time.Clock;
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
  private final Clock clock;

  ImageJobHandler(
      ImageTransitions transitions,
      ImagePipeline pipeline,
      JobQueue queue,
      TransactionTemplate tx,
      List<RequestFinishedListener> listeners,
      ProcessingProperties properties,
      Clock clock) {
    this.transitions = transitions;
    this.pipeline = pipeline;
    this.queue = queue;
    this.tx = tx;
    this.listeners = listeners;
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    this.maxAttempts = properties.maxAttempts();
    this.clock = clock;
  }

  @Override
  public JobKind kind() {
    return JobKind.IMAGE;
  }

  @Override
  public void handle(ClaimedJob job) {
    long imageId = Long.parseLong(job.ref());
    Optional<ImageWork> started = tx.execute(s -> transitions.start(imageId));
    if (started.isEmpty()) {
      queue.complete(job);
      return;
    }
    ImageWork work = started.get();
    MDC.put("requestId", work.requestId().toString());
    MDC.put("imageId", Long.toString(imageId));
    try {
      process(job, work);
    } finally {
      MDC.remove("requestId");
      MDC.remove("imageId");
    }
  }

  private void process(ClaimedJob job, ImageWork work) {
    try {
      ImagePipeline.Result result = pipeline.process(work);
      finish(
          job,
          () ->
              transitions.complete(
                  work.imageId(),
                  result.key().publicPath(),
                  result.inputBytes(),
                  result.outputBytes()));
      log.info("Image done: {} -> {} bytes", result.inputBytes(), result.outputBytes());
    } catch (ImageFailureException e) {
      onFailure(job, work, e.getMessage(), e.isRetryable(), e);
    } catch (RuntimeException e) {
      log.error("Unexpected error processing image {}", work.imageId(), e);
      onFailure(job, work, "internal error while processing the image", false, e);
    }
  }

  private void onFailure(
      ClaimedJob job, ImageWork work, String reason, boolean retryable, Exception cause) {
    if (retryable && work.attempt() < maxAttempts) {
      var wait = backoff.after(work.attempt());
      log.info(
          "Attempt {} failed ({}); retrying in {} ms",
          work.attempt(),
          reason,
          wait.toMillis(),
          cause);
      tx.executeWithoutResult(
          s -> {
            transitions.retry(work.imageId(), reason);
            queue.reschedule(job, clock.instant().plus(wait));
          });
      return;
    }
    log.info("Image failed after {} attempt(s): {}", work.attempt(), reason, cause);
    finish(job, () -> transitions.fail(work.imageId(), reason));
  }

  private void finish(ClaimedJob job, Supplier<Outcome> transition) {
    tx.executeWithoutResult(
        s -> {
          Outcome outcome = transition.get();
          if (outcome.finishedRequest()) {
            listeners.forEach(l -> l.requestFinished(outcome.requestId(), outcome.requestStatus()));
          }
          queue.complete(job);
        });
  }
}
