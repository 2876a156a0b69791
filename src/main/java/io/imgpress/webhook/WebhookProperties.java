package io.imgpress.webhook;

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
 * @param timeout connect and read timeout of one delivery
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
    @Min(1) @Max(64) @DefaultValue("2") int workers) {}
