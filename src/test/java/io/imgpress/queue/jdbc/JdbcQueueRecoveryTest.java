package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;

@ExtendWith(OutputCaptureExtension.class)
class JdbcQueueRecoveryTest {

  final MutableClock clock = new MutableClock();
  final JdbcJobQueue queue = JdbcQueues.queue(TestDatabase.h2(), clock);
  final JdbcQueueRecovery recovery = new JdbcQueueRecovery(queue);

  @Test
  void startingHandsBackWhatADeadProcessHeldAfterAShortWait(CapturedOutput output) {
    queue.enqueue(List.of(new JobQueue.Job(JobKind.IMAGE, "1", clock.instant())));
    queue.claim(Duration.ofMinutes(10)).orElseThrow();

    recovery.start();

    assertThat(queue.claim(Duration.ofMinutes(10))).as("behind jobs already waiting").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.claim(Duration.ofMinutes(10))).as("without waiting out the lease").isPresent();
    assertThat(output.getAll()).contains("Released 1 jobs left running by a previous process");
  }

  @Test
  void aCleanStartSaysNothing(CapturedOutput output) {
    recovery.start();

    assertThat(output.getAll()).doesNotContain("Released");
  }

  @Test
  void runsBeforeTheWorkersWhichTakeTheDefaultPhase() {
    assertThat(recovery.isRunning()).isFalse();
    recovery.start();
    assertThat(recovery.isRunning()).isTrue();
    recovery.stop();
    assertThat(recovery.isRunning()).isFalse();
    assertThat(recovery.getPhase()).isLessThan(SmartLifecycle.DEFAULT_PHASE);
  }
}
