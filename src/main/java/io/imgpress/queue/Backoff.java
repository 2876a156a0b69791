package io.imgpress.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with ±20% jitter, so retries of many images that failed together (an origin
 * that went down) do not all hit it again in the same instant.
 */
public record Backoff(Duration initial, Duration max) {

  /** The wait after the given failed attempt (1 = the first). */
  public Duration after(int attempt) {
    double base = initial.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
    double capped = Math.min(base, max.toMillis());
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis(Math.round(capped * jitter));
  }
}
