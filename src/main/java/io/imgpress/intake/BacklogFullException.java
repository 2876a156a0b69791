package io.imgpress.intake;

import java.time.Duration;

/** The queue holds more work than {@code imgpress.intake.max-backlog}: the upload is not taken. */
public class BacklogFullException extends RuntimeException {

  private final Duration retryAfter;

  public BacklogFullException(long jobs, long maxBacklog, Duration retryAfter) {
    super(
        "%d jobs are waiting, more than this service takes before it refuses new uploads (%d);"
                .formatted(jobs, maxBacklog)
            + " try again later");
    this.retryAfter = retryAfter;
  }

  /** When the client should try again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
