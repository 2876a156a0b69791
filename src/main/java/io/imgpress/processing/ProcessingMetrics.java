package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the image pipeline reports to Micrometer. Every series exists from the start, at zero, so
 * rates and ratios in alerts are defined before the first failure of a kind.
 *
 * <ul>
 *   <li>{@code imgpress.images.processed} (outcome, reason): images that reached a final state;
 *       {@code reason} is a {@link FailureReason} tag, {@code none} for completed images
 *   <li>{@code imgpress.image.processing} (outcome = completed | retried | failed): one pipeline
 *       attempt, fetch to stored output and recorded outcome
 *   <li>{@code imgpress.image.fetch} (outcome = success | failure): the download alone
 *   <li>{@code imgpress.image.bytes.in} / {@code .out}: sizes of completed images
 * </ul>
 */
@ConditionalOnWorkerRole
@Component
class ProcessingMetrics {

  static final String PROCESSED = "imgpress.images.processed";
  static final String PROCESSING = "imgpress.image.processing";
  static final String FETCH = "imgpress.image.fetch";
  static final String BYTES_IN = "imgpress.image.bytes.in";
  static final String BYTES_OUT = "imgpress.image.bytes.out";

  // Fixed buckets instead of Micrometer's percentile histogram (about 70 buckets per series): a
  // dozen are enough for p95 alerts, and they reach minutes, since a download may take its whole
  // read timeout and an attempt more than that.
  private static final Duration[] ATTEMPT_BUCKETS =
      seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
  private static final Duration[] FETCH_BUCKETS =
      seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

  private final MeterRegistry registry;
  private final Counter completed;
  private final Map<FailureReason, Counter> failed = new EnumMap<>(FailureReason.class);
  private final Timer completedTime;
  private final Timer retriedTime;
  private final Timer failedTime;
  private final Timer fetchSuccess;
  private final Timer fetchFailure;
  private final DistributionSummary bytesIn;
  private final DistributionSummary bytesOut;

  ProcessingMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.completed = processed("completed", "none");
    for (FailureReason reason : FailureReason.values()) {
      failed.put(reason, processed("failed", reason.tag()));
    }
    this.completedTime = timer(PROCESSING, "completed", ATTEMPT_BUCKETS);
    this.retriedTime = timer(PROCESSING, "retried", ATTEMPT_BUCKETS);
    this.failedTime = timer(PROCESSING, "failed", ATTEMPT_BUCKETS);
    this.fetchSuccess = timer(FETCH, "success", FETCH_BUCKETS);
    this.fetchFailure = timer(FETCH, "failure", FETCH_BUCKETS);
    this.bytesIn = bytes(BYTES_IN, "Size of the source of each completed image");
    this.bytesOut = bytes(BYTES_OUT, "Size of the compressed output of each completed image");
  }

  Timer.Sample start() {
    return Timer.start(registry);
  }

  void completed(Timer.Sample attempt, long inputBytes, long outputBytes) {
    attempt.stop(completedTime);
    completed.increment();
    bytesIn.record(inputBytes);
    bytesOut.record(outputBytes);
  }

  void retried(Timer.Sample attempt) {
    attempt.stop(retriedTime);
  }

  void failed(Timer.Sample attempt, FailureReason reason) {
    attempt.stop(failedTime);
    failed.get(reason).increment();
  }

  /** The fetcher, timing every download into {@code imgpress.image.fetch}. */
  ImageFetcher timed(ImageFetcher fetcher) {
    return new TimedImageFetcher(fetcher, registry, fetchSuccess, fetchFailure);
  }

  private Counter processed(String outcome, String reason) {
    return Counter.builder(PROCESSED)
        .description("Images that reached a final state")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry);
  }

  private Timer timer(String name, String outcome, Duration[] buckets) {
    return Timer.builder(name)
        .description(
            name.equals(FETCH) ? "Download of one source image" : "One attempt at one image")
        .tag("outcome", outcome)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  private static Duration[] seconds(double... bounds) {
    return Arrays.stream(bounds)
        .mapToObj(s -> Duration.ofMillis(Math.round(s * 1000)))
        .toArray(Duration[]::new);
  }

  private DistributionSummary bytes(String name, String description) {
    // No base unit on purpose: Prometheus would append it, making imgpress_image_bytes_in_bytes.
    return DistributionSummary.builder(name).description(description).register(registry);
  }
}
