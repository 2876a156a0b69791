package io.imgpress.processing;

import java.time.Duration;
import java.util.Optional;

/**
 * Why one image could not be processed. The message is short, human-readable and safe to show to
 * the client (it ends up in the image's {@code error}); the {@link FailureReason} groups it for
 * metrics; the cause is for the log only.
 *
 * <p>Retryable failures (connection errors, timeouts, HTTP 5xx and 429) are retried with backoff;
 * permanent ones (4xx, not an image, corrupt data, limit breaches) fail the image at once.
 */
public class ImageFailureException extends RuntimeException {

  private final boolean retryable;
  // null: the thrower did not say; the pipeline fills it in from the step that failed.
  private final FailureReason reason;
  // null: the source did not say when to come back.
  private Duration retryAfter;

  private ImageFailureException(
      String message, boolean retryable, FailureReason reason, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.reason = reason;
  }

  public static ImageFailureException permanent(FailureReason reason, String message) {
    return new ImageFailureException(message, false, reason, null);
  }

  public static ImageFailureException permanent(
      FailureReason reason, String message, Throwable cause) {
    return new ImageFailureException(message, false, reason, cause);
  }

  public static ImageFailureException retryable(FailureReason reason, String message) {
    return new ImageFailureException(message, true, reason, null);
  }

  public static ImageFailureException retryable(
      FailureReason reason, String message, Throwable cause) {
    return new ImageFailureException(message, true, reason, cause);
  }

  /** Without a reason: the step that runs the thrower decides it (see {@link #orReason}). */
  public static ImageFailureException permanent(String message) {
    return new ImageFailureException(message, false, null, null);
  }

  /** Without a reason: the step that runs the thrower decides it (see {@link #orReason}). */
  public static ImageFailureException permanent(String message, Throwable cause) {
    return new ImageFailureException(message, false, null, cause);
  }

  /** Without a reason: the step that runs the thrower decides it (see {@link #orReason}). */
  public static ImageFailureException retryable(String message) {
    return new ImageFailureException(message, true, null, null);
  }

  /** Without a reason: the step that runs the thrower decides it (see {@link #orReason}). */
  public static ImageFailureException retryable(String message, Throwable cause) {
    return new ImageFailureException(message, true, null, cause);
  }

  public boolean isRetryable() {
    return retryable;
  }

  /** The reason given when thrown, {@link FailureReason#OTHER} when none was. */
  public FailureReason reason() {
    return reason == null ? FailureReason.OTHER : reason;
  }

  /**
   * How long the source asked us to wait before trying again ({@code Retry-After} on a 429 or 503),
   * when it said so.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Records the source's {@code Retry-After}; returns this failure. */
  public ImageFailureException withRetryAfter(Duration wait) {
    this.retryAfter = wait;
    return this;
  }

  /** This failure if it has a reason; otherwise the same failure with the given one. */
  ImageFailureException orReason(FailureReason fallback) {
    if (reason != null) {
      return this;
    }
    ImageFailureException copy =
        new ImageFailureException(getMessage(), retryable, fallback, getCause());
    copy.setStackTrace(getStackTrace());
    copy.retryAfter = retryAfter;
    return copy;
  }
}
