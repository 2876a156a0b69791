package io.imgpress.processing;

/**
 * Why one image could not be processed. The message is short, human-readable and safe to show to
 * the client (it ends up in the image's {@code error}); the cause is for the log only.
 *
 * <p>Retryable failures (connection errors, timeouts, HTTP 5xx and 429) are retried with backoff;
 * permanent ones (4xx, not an image, corrupt data, limit breaches) fail the image at once.
 */
public class ImageFailureException extends RuntimeException {

  private final boolean retryable;

  private ImageFailureException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public static ImageFailureException permanent(String message) {
    return new ImageFailureException(message, false, null);
  }

  public static ImageFailureException permanent(String message, Throwable cause) {
    return new ImageFailureException(message, false, cause);
  }

  public static ImageFailureException retryable(String message) {
    return new ImageFailureException(message, true, null);
  }

  public static ImageFailureException retryable(String message, Throwable cause) {
    return new ImageFailureException(message, true, cause);
  }

  public boolean isRetryable() {
    return retryable;
  }
}
