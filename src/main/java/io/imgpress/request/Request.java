package io.imgpress.request;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A request's summary row. {@code processedImages} counts images that reached a final state
 * (completed or failed); {@code failedImages} is the failed part of it. {@code changeNumber} counts
 * the changes of its images (see {@link ImageTransitions}); it is 0 until the first one. {@code
 * error} says why a request failed as a whole before its images were processed (its rows could not
 * be expanded into images); it is null otherwise. {@code owner} is the owner of the API key the
 * request was uploaded with, null for a request uploaded without keys. {@code output} is how its
 * images are written (format, quality or auto, bounding box).
 */
public record Request(
    UUID id,
    RequestStatus status,
    Output output,
    int totalImages,
    int processedImages,
    int failedImages,
    Webhook webhook,
    Instant createdAt,
    Instant updatedAt,
    long changeNumber,
    String error,
    String owner) {

  public Request {
    Objects.requireNonNull(output, "output");
  }

  /** A request whose images are JPEGs of {@code quality} at the source's size. */
  public Request(
      UUID id,
      RequestStatus status,
      int quality,
      int totalImages,
      int processedImages,
      int failedImages,
      Webhook webhook,
      Instant createdAt,
      Instant updatedAt,
      long changeNumber,
      String error,
      String owner) {
    this(
        id,
        status,
        Output.jpeg(quality),
        totalImages,
        processedImages,
        failedImages,
        webhook,
        createdAt,
        updatedAt,
        changeNumber,
        error,
        owner);
  }

  /** A request that did not fail as a whole. */
  public Request(
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
    this(
        id,
        status,
        quality,
        totalImages,
        processedImages,
        failedImages,
        webhook,
        createdAt,
        updatedAt,
        changeNumber,
        null,
        null);
  }

  /** A request without an owner. */
  public Request(
      UUID id,
      RequestStatus status,
      int quality,
      int totalImages,
      int processedImages,
      int failedImages,
      Webhook webhook,
      Instant createdAt,
      Instant updatedAt,
      long changeNumber,
      String error) {
    this(
        id,
        status,
        quality,
        totalImages,
        processedImages,
        failedImages,
        webhook,
        createdAt,
        updatedAt,
        changeNumber,
        error,
        null);
  }

  /** The quality asked for: 1–100, or {@link Output#AUTO_QUALITY} for automatic. */
  public int quality() {
    return output.quality();
  }

  /** The completion webhook of a request, or {@code null} on a request without one. */
  public record Webhook(String url, WebhookStatus status, int attempts, String error) {}
}
