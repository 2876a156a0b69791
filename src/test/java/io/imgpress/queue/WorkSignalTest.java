package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkSignalTest {

  static final Duration NO_WAIT = Duration.ZERO;

  final WorkSignal signal = new WorkSignal();

  @Test
  void anIdleLaneIsNotWoken() throws InterruptedException {
    WorkSignal.Waiter waiter = signal.waiter(2);
    assertThat(waiter.await(Duration.ofMillis(10))).isFalse();
  }

  @Test
  void addedJobsWakeAsManyWorkersAsJobsWereAdded() throws InterruptedException {
    WorkSignal.Waiter waiter = signal.waiter(4);
    signal.jobsAdded(2);
    assertThat(waiter.await(NO_WAIT)).isTrue();
    assertThat(waiter.await(NO_WAIT)).isTrue();
    assertThat(waiter.await(NO_WAIT)).as("only two jobs were added").isFalse();
  }

  @Test
  void aLaneGetsNoMoreWakeUpsThanItHasWorkers() throws InterruptedException {
    WorkSignal.Waiter waiter = signal.waiter(2);
    signal.jobsAdded(5);
    signal.jobsAdded(5);
    assertThat(waiter.await(NO_WAIT)).isTrue();
    assertThat(waiter.await(NO_WAIT)).isTrue();
    assertThat(waiter.await(NO_WAIT)).as("two workers, two wake-ups").isFalse();
  }

  @Test
  void everyLaneIsWoken() throws InterruptedException {
    WorkSignal.Waiter images = signal.waiter(1);
    WorkSignal.Waiter webhooks = signal.waiter(1);
    signal.jobsAdded(1);
    assertThat(images.await(NO_WAIT)).isTrue();
    assertThat(webhooks.await(NO_WAIT)).isTrue();
  }

  @Test
  void aRemovedLaneIsNoLongerWoken() throws InterruptedException {
    WorkSignal.Waiter kept = signal.waiter(1);
    WorkSignal.Waiter removed = signal.waiter(1);
    signal.remove(removed);
    signal.jobsAdded(1);
    assertThat(kept.await(NO_WAIT)).isTrue();
    assertThat(removed.await(NO_WAIT)).isFalse();
  }
}
