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
 * @param workers images in flight at once
 * @param maxAttempts tries per image for retryable failures (connection errors, timeouts, 5xx, 429)
 * @param initialBackoff wait before the first retry; doubled for each further one, with jitter
 * @param maxBackoff upper bound of that wait
 * @param lease how long a claimed job stays with its worker before it is handed out again
 * @param pollInterval how often idle workers look for due jobs (new uploads wake them at once)
 */
@Validated
@ConfigurationProperties("imgpress.processing")
public record ProcessingProperties(
    @Min(1) @Max(256) @DefaultValue("4") int workers,
    @Min(1) @Max(20) @DefaultValue("3") int maxAttempts,
    @NotNull @DefaultValue("1s") Duration initialBackoff,
    @NotNull @DefaultValue("1m") Duration maxBackoff,
    @NotNull @DefaultValue("10m") Duration lease,
    @NotNull @DefaultValue("1s") Duration pollInterval) {}
