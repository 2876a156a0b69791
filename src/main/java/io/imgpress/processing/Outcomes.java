package io.imgpress.processing;

import io.imgpress.queue.Backoff;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.HandBack;
import io.imgpress.request.ImageTransitions.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what an attempt's end means for its image (completed, tried again after a wait, failed
 * for good, or handed back untouched) and passes it to the {@link Recorder}; counts it once the
 * change was applied.
 *
 * <p>An image handed back because the worker stops ({@link #handBackAtStop}) has its outcome
 * decided: whatever its stages still report for it later (an interrupted download, a late result)
 * is dropped here. Should a result reach the recorder first, it is recorded and the hand-back then
 * finds the image final and changes nothing; the other way round, the request store refuses the
 * late result, the image no longer being this owner's. Either way the image is settled once.
 */
final class Outcomes {

  private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

  private final Recorder recorder;
  private final ProcessingMetrics metrics;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Clock clock;
  private final Set<String> handedBackAtStop = ConcurrentHashMap.newKeySet();

  Outcomes(
      Recorder recorder, ProcessingMetrics metrics, ProcessingProperties properties, Clock clock) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    this.maxAttempts = properties.maxAttempts();
    this.clock = clock;
  }

  /**
   * @param previewPath where the image's preview is served; null when it has none
   * @param quality the quality the output was encoded at (the one chosen, for automatic quality)
   */
  void completed(
      InFlightImage image,
      String outputPath,
      String previewPath,
      long inputBytes,
      long outputBytes,
      int quality) {
    if (settledAtStop(image)) {
      return;
    }
    recorder.submit(
        image,
        new Completion(
            image.imageId(),
            image.owner(),
            outputPath,
            previewPath,
            inputBytes,
            outputBytes,
            quality),
        null,
        () -> metrics.completed(image.attempt(), inputBytes, outputBytes));
  }

  void failed(InFlightImage image, ImageFailureException failure) {
    if (settledAtStop(image)) {
      return;
    }
    int attempt = image.work().attempt();
    String message = failure.getMessage();
    if (failure.isRetryable() && attempt < maxAttempts) {
      Duration wait = backoff.after(attempt);
      Duration asked = failure.retryAfter().orElse(Duration.ZERO);
      if (asked.compareTo(wait) > 0) {
        wait = asked;
      }
      log.info(
          "Attempt {} failed ({}); retrying in {} ms", attempt, message, wait.toMillis(), failure);
      recorder.submit(
          image,
          new Retry(image.imageId(), image.owner(), message),
          clock.instant().plus(wait),
          () -> metrics.retried(image.attempt()));
      return;
    }
    log.info("Image failed after {} attempt(s): {}", attempt, message, failure);
    fail(image, message, failure.reason());
  }

  /** A failure no step foresaw: the client learns only that it was internal. */
  void internal(InFlightImage image, Throwable cause) {
    if (settledAtStop(image)) {
      return;
    }
    log.error("Unexpected error processing image {}", image.imageId(), cause);
    fail(image, "internal error while processing the image", FailureReason.INTERNAL);
  }

  /**
   * Fails an image whose job was handed out more often than any healthy run needs: its attempts
   * keep being cut short, most likely because it kills the process (memory, a codec crash), and
   * trying again would take the service down again while other images wait.
   */
  void giveUp(InFlightImage image) {
    if (settledAtStop(image)) {
      return;
    }
    String message =
        "processing was interrupted or retried %d times; the image may be crashing the service"
            .formatted(image.job().deliveries() - 1);
    log.error("Image {} failed without another try: {}", image.imageId(), message);
    fail(image, message, FailureReason.INTERNAL);
  }

  /** Puts an image back untouched, its attempt not counted, to be claimed again at {@code at}. */
  void handBack(InFlightImage image, Instant at) {
    if (settledAtStop(image)) {
      return;
    }
    recorder.submit(image, new HandBack(image.imageId(), image.owner()), at, () -> {});
  }

  /**
   * Hands an unfinished image back because the worker stops: untouched, its attempt not counted,
   * due at {@code at}; from now on nothing else is recorded for it by this worker.
   */
  void handBackAtStop(InFlightImage image, Instant at) {
    if (handedBackAtStop.add(image.owner())) {
      recorder.submit(image, new HandBack(image.imageId(), image.owner()), at, () -> {});
    }
  }

  private boolean settledAtStop(InFlightImage image) {
    return handedBackAtStop.contains(image.owner());
  }

  private void fail(InFlightImage image, String message, FailureReason reason) {
    recorder.submit(
        image,
        new Failure(image.imageId(), image.owner(), message),
        null,
        () -> metrics.failed(image.attempt(), reason));
  }
}
