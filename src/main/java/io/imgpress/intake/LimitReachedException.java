package io.imgpress.intake;

import java.time.Duration;

/** An owner is at one of the per-owner limits: the upload is not taken. */
public class LimitReachedException extends RuntimeException {

  /** Which limit, by its property name under {@code imgpress.security.limits}. */
  public enum Limit {
    MAX_UNFINISHED_REQUESTS("max-unfinished-requests"),
    IMAGES_PER_HOUR("images-per-hour");

    private final String property;

    Limit(String property) {
      this.property = property;
    }

    public String property() {
      return property;
    }
  }

  private final Limit limit;
  private final Duration retryAfter;

  LimitReachedException(Limit limit, Duration retryAfter, String message) {
    super(message);
    this.limit = limit;
    this.retryAfter = retryAfter;
  }

  public Limit limit() {
    return limit;
  }

  /** When the upload could be taken, if nothing else changes. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
