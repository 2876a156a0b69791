package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesPerAttemptWithinJitterAndIsCapped() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.after(1).toMillis()).isBetween(800L, 1200L);
      assertThat(backoff.after(2).toMillis()).isBetween(1600L, 2400L);
      assertThat(backoff.after(3).toMillis()).isBetween(3200L, 4800L);
      assertThat(backoff.after(30).toMillis()).isBetween(8000L, 12000L);
    }
  }
}
