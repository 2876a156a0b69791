package io.imgpress.processing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How images are worked through.
 *
 * @param workers images in flight at once; the same workers expand uploads (webhook deliveries have
 *     workers of their own)
 * @param maxAttempts tries per image for retryable failures (connection errors, timeouts, 5xx, 429)
 * @param initialBackoff wait before the first retry; doubled for each further one, with jitter
 * @param maxBackoff upper bound of that wait
 * @param lease how long a claimed job stays with a worker that gives no sign of life before it is
 *     handed out again; a running job's worker renews it every third of that
 * @param pollInterval how often idle workers look for due jobs (new uploads wake them at once)
 * @param maxDeliveries how often an image's job may be handed out before the image fails as one
 *     that keeps killing its attempts (a process that died of it, a worker that lost its lease); 0
 *     means {@code maxAttempts + 2}. Each try counts, so it is at least {@code maxAttempts}
 */
@Validated
@ConfigurationProperties("imgpress.processing")
public record ProcessingProperties(
    @Min(1) @Max(256) @DefaultValue("4") int workers,
    @Min(1) @Max(20) @DefaultValue("3") int maxAttempts,
    @NotNull @DefaultValue("1s") Duration initialBackoff,
    @NotNull @DefaultValue("1m") Duration maxBackoff,
    @NotNull @DefaultValue("10m") Duration lease,
    @NotNull @DefaultValue("1s") Duration pollInterval,
    @Min(0) @Max(100) @DefaultValue("0") int maxDeliveries) {

  public ProcessingProperties {
    if (maxDeliveries != 0 && maxDeliveries < maxAttempts) {
      throw new IllegalArgumentException(
          "imgpress.processing.max-deliveries (%d) must be at least max-attempts (%d)"
              .formatted(maxDeliveries, maxAttempts));
    }
  }

  /** The bound in force: {@link #maxDeliveries}, or two more than {@link #maxAttempts}. */
  public int deliveryBound() {
    return maxDeliveries == 0 ? maxAttempts + 2 : maxDeliveries;
  }
}
