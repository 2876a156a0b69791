package io.imgpress.queue;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How jobs travel from the store's outbox to the queue.
 *
 * @param pollInterval how often each process looks for entries nobody relayed (a relay is also
 *     woken at once by the process that wrote them, so this bounds only the recovery of entries
 *     whose writer died before relaying them)
 * @param batch entries taken per round trip
 * @param lease how long a taken entry stays with its relay before another may take it
 * @param reconcileInterval with a queue that can lose its data ({@code imgpress.queue=redis}), how
 *     often a worker gives the queue every job the store's state still needs; the queue ignores the
 *     ones it holds
 */
@Validated
@ConfigurationProperties("imgpress.queue.outbox")
public record OutboxProperties(
    @NotNull @DefaultValue("1s") Duration pollInterval,
    @Min(1) @Max(10000) @DefaultValue("1000") int batch,
    @NotNull @DefaultValue("30s") Duration lease,
    @NotNull @DefaultValue("1m") Duration reconcileInterval) {

  public static OutboxProperties defaults() {
    return new OutboxProperties(
        Duration.ofSeconds(1), 1000, Duration.ofSeconds(30), Duration.ofMinutes(1));
  }

  @AssertTrue(message = "poll-interval, lease and reconcile-interval must be positive")
  boolean isPositive() {
    return pollInterval == null
        || lease == null
        || reconcileInterval == null
        || (pollInterval.isPositive() && lease.isPositive() && reconcileInterval.isPositive());
  }
}
