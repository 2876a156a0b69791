package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkSignalTest {

  private final WorkSignal signal = new WorkSignal();

  @Test
  void anIdleWaitEndsUnwokenAfterItsTimeout() throws InterruptedException {
    assertThat(signal.await(Duration.ofMillis(50))).isFalse();
  }

  @Test
  void eachAddedJobWakesOneWait() throws InterruptedException {
    signal.jobsAdded(2);

    assertThat(signal.await(Duration.ZERO)).isTrue();
    assertThat(signal.await(Duration.ZERO)).isTrue();
    assertThat(signal.await(Duration.ZERO)).isFalse();
  }

  @Test
  void aWaitingWorkerIsWokenAtOnce() throws Exception {
    Thread adder =
        Thread.ofVirtual()
            .start(
                () -> {
                  sleep(100);
                  signal.jobsAdded(1);
                });

    long start = System.nanoTime();
    assertThat(signal.await(Duration.ofSeconds(30))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    adder.join();
  }

  @Test
  void aLargeBatchWakesAtMost1024Waits() throws InterruptedException {
    signal.jobsAdded(100_000);

    int woken = 0;
    while (signal.await(Duration.ZERO)) {
      woken++;
    }
    assertThat(woken).isEqualTo(1024);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
