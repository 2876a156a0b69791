package io.imgpress.request;

import java.time.Instant;
import java.util.UUID;

/**
 * A request's summary row. {@code processedImages} counts images that reached a final state
 * (completed or failed); {@code failedImages} is the failed part of it. {@code changeNumber} counts
 * the changes of its images (see {@link ImageTransitions}); it is 0 until the first one.
 */
public record Request(
    UUID id,
    RequestStatus status,
    int quality,
    int totalImages,
    int processedImages,
    int failedImages,
    Webhook webhook,
    Instant createdAt,
    Instant updatedAt,
    long changeNumber) {

  /** The completion webhook of a request, or {@code null} on a request without one. */
  public record Webhook(String url, WebhookStatus status, int attempts, String error) {}
}
