package io.imgpress.webhook;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Completion webhooks.
 *
 * @param secret HMAC key for {@code X-Imgpress-Signature}; give it through the environment ({@code
 *     IMGPRESS_WEBHOOK_SECRET}). Unset: one is generated at first start and kept in the data dir
 * @param maxAttempts deliveries tried before the webhook is marked failed
 * @param initialBackoff wait before the first retry, doubled for each further one
 * @param maxBackoff upper bound of that wait
 * @param timeout deadline of one delivery: connecting, sending, and the receiver's status line and
 *     headers together (its body is never read). Kept well under a job's lease ({@code
 *     imgpress.processing.lease}, 10 minutes by default), so a slow receiver never makes a delivery
 *     run twice at once
 * @param workers deliveries in flight at once, on workers of their own (never the image workers)
 */
@Validated
@ConfigurationProperties("imgpress.webhook")
public record WebhookProperties(
    String secret,
    @Min(1) @Max(50) @DefaultValue("10") int maxAttempts,
    @NotNull @DefaultValue("2s") Duration initialBackoff,
    @NotNull @DefaultValue("10m") Duration maxBackoff,
    @NotNull @DefaultValue("10s") Duration timeout,
    @Min(1) @Max(64) @DefaultValue("2") int workers) {

  static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  @AssertTrue(message = "timeout must be positive and at most 2m")
  boolean isTimeoutInRange() {
    return timeout == null
        || (!timeout.isNegative() && !timeout.isZero() && timeout.compareTo(MAX_TIMEOUT) <= 0);
  }

  @AssertTrue(message = "initial-backoff and max-backoff must be positive")
  boolean isBackoffPositive() {
    return positive(initialBackoff) && positive(maxBackoff);
  }

  private static boolean positive(Duration duration) {
    return duration == null || (!duration.isNegative() && !duration.isZero());
  }
}
