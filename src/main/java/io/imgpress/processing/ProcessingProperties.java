package io.imgpress.processing;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How images are worked through: claimed in batches, downloaded many at once (limits in {@code
 * imgpress.fetch}), decoded and encoded on a pool sized to the CPU, stored and recorded in batches.
 *
 * @param workers threads that decode and encode images; 0 means one per CPU core
 * @param maxAttempts tries per image for retryable failures (connection errors, timeouts, 5xx, 429)
 * @param initialBackoff wait before the first retry; doubled for each further one, with jitter
 * @param maxBackoff upper bound of that wait
 * @param lease how long a claimed job stays with a process that gives no sign of life before it is
 *     handed out again; a running process renews the leases of its images every third of that
 * @param pollInterval how often idle workers look for due jobs (new uploads wake them at once)
 * @param maxDeliveries how often an image's job may be handed out before the image fails as one
 *     that keeps killing its attempts (a process that died of it, a worker that lost its lease); 0
 *     means {@code maxAttempts + 2}. Each try counts, so it is at least {@code maxAttempts}
 * @param maxInFlight images claimed and not yet recorded, over all stages: the window that keeps
 *     the network and the CPU busy at once
 * @param bufferMemory bytes of downloaded sources held until they are encoded; when it is spent,
 *     downloads wait. 0 means a quarter of the heap
 * @param intakeWorkers workers that expand accepted uploads into images
 * @param stopTimeout how long a stopping worker lets the images and jobs it holds finish after it
 *     stops claiming; what is still unfinished then is handed back to the queue, to run again at
 *     once elsewhere, its attempt not counted
 */
@Validated
@ConfigurationProperties("imgpress.processing")
public record ProcessingProperties(
    @Min(0) @Max(256) @DefaultValue("0") int workers,
    @Min(1) @Max(20) @DefaultValue("3") int maxAttempts,
    @NotNull @DefaultValue("1s") Duration initialBackoff,
    @NotNull @DefaultValue("1m") Duration maxBackoff,
    @NotNull @DefaultValue("10m") Duration lease,
    @NotNull @DefaultValue("1s") Duration pollInterval,
    @Min(0) @Max(100) @DefaultValue("0") int maxDeliveries,
    @Min(1) @Max(100_000) @DefaultValue("512") int maxInFlight,
    @NotNull @DefaultValue("0") DataSize bufferMemory,
    @Min(1) @Max(64) @DefaultValue("2") int intakeWorkers,
    @NotNull @DefaultValue("30s") Duration stopTimeout) {

  /** Below this a single source image could not be held; also the smallest budget accepted. */
  static final DataSize MIN_BUFFER = DataSize.ofMegabytes(1);

  static final Duration MAX_STOP_TIMEOUT = Duration.ofHours(1);

  public ProcessingProperties {
    if (maxDeliveries != 0 && maxDeliveries < maxAttempts) {
      throw new IllegalArgumentException(
          "imgpress.processing.max-deliveries (%d) must be at least max-attempts (%d)"
              .formatted(maxDeliveries, maxAttempts));
    }
  }

  @AssertTrue(message = "buffer-memory must be 0 (automatic) or at least 1MB")
  boolean isBufferMemoryValid() {
    return bufferMemory == null
        || bufferMemory.toBytes() == 0
        || bufferMemory.compareTo(MIN_BUFFER) >= 0;
  }

  @AssertTrue(message = "stop-timeout must be between 0 and 1h")
  boolean isStopTimeoutValid() {
    return stopTimeout == null
        || !stopTimeout.isNegative() && stopTimeout.compareTo(MAX_STOP_TIMEOUT) <= 0;
  }

  /** The bound in force: {@link #maxDeliveries}, or two more than {@link #maxAttempts}. */
  public int deliveryBound() {
    return maxDeliveries == 0 ? maxAttempts + 2 : maxDeliveries;
  }

  /** Codec threads in force: {@link #workers}, or one per core. */
  public int codecThreads() {
    return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
  }

  /** The byte budget in force for a heap of {@code maxHeapBytes}. */
  long bufferBytes(long maxHeapBytes) {
    long bytes = bufferMemory.toBytes() > 0 ? bufferMemory.toBytes() : maxHeapBytes / 4;
    return Math.max(MIN_BUFFER.toBytes(), bytes);
  }
}
