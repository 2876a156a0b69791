package io.imgpress.retention;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Deleting requests and keeping them only so long.
 *
 * @param period how long a finished request ({@code completed} or {@code failed}) is kept after its
 *     last change; then the sweeper deletes it with its images. {@code 0} (the default) keeps
 *     requests forever
 * @param sweepInterval how often each worker process sweeps: removes the requests past {@code
 *     period}, and finishes deletions that were cut short (their images could not be removed at
 *     once, or the process died)
 * @param batchSize requests deleted per page of a sweep; a sweep takes at most {@link
 *     #MAX_PAGES_PER_SWEEP} pages, the rest waits for the next
 * @param recheckAfter how long after a deletion its request's storage folder is emptied once more:
 *     an attempt at one of its images that stored its output and died before recording it leaves an
 *     object no row names. Longer than an attempt can take ({@code imgpress.processing.lease}, 10
 *     minutes by default)
 */
@Validated
@ConfigurationProperties("imgpress.retention")
public record RetentionProperties(
    @NotNull @DefaultValue("0s") Duration period,
    @NotNull @DefaultValue("10m") Duration sweepInterval,
    @Min(1) @Max(10000) @DefaultValue("100") int batchSize,
    @NotNull @DefaultValue("1h") Duration recheckAfter) {

  static final int MAX_PAGES_PER_SWEEP = 100;

  public static RetentionProperties defaults() {
    return new RetentionProperties(Duration.ZERO, Duration.ofMinutes(10), 100, Duration.ofHours(1));
  }

  /** The period, empty when requests are kept forever. */
  public Optional<Duration> keepFor() {
    return period == null || period.isZero() ? Optional.empty() : Optional.of(period);
  }

  @AssertTrue(message = "period must not be negative (0 keeps requests forever)")
  boolean isPeriodValid() {
    return period == null || !period.isNegative();
  }

  @AssertTrue(message = "sweep-interval and recheck-after must be positive")
  boolean isPositive() {
    return sweepInterval == null
        || recheckAfter == null
        || (sweepInterval.isPositive() && recheckAfter.isPositive());
  }
}
