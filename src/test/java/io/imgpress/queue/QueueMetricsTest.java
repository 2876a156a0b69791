package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueMetricsTest {

  final MutableClock clock = new MutableClock();
  final FakeQueue queue = new FakeQueue();
  final MeterRegistry registry = new SimpleMeterRegistry();
  // Gauges hold their object weakly: without this reference a GC turns them into NaN (in the
  // service the bean is held by the context).
  QueueMetrics metrics;

  @BeforeEach
  void bind() {
    metrics = new QueueMetrics(queue, clock);
    metrics.bindTo(registry);
  }

  @Test
  void reportsDepthAndAgeOfTheOldestJob() {
    queue.depth = new JobQueue.Depth(12, clock.instant().minusSeconds(90));

    assertThat(depth()).isEqualTo(12);
    assertThat(age()).isEqualTo(90);
  }

  @Test
  void anEmptyQueueHasNoAge() {
    queue.depth = new JobQueue.Depth(0, null);

    assertThat(depth()).isZero();
    assertThat(age()).isZero();
  }

  @Test
  void queriesTheQueueAtMostOncePerRefresh() {
    queue.depth = new JobQueue.Depth(3, clock.instant());
    depth();
    age();
    queue.depth = new JobQueue.Depth(5, clock.instant());
    clock.advance(QueueMetrics.REFRESH.minusSeconds(1));

    assertThat(depth()).isEqualTo(3);
    assertThat(age()).as("the age still moves with the clock").isEqualTo(4);
    assertThat(queue.reads.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(depth()).isEqualTo(5);
    assertThat(queue.reads.get()).isEqualTo(2);
  }

  @Test
  void anUnreadableQueueIsNaNUntilTheNextRefresh() {
    queue.failing = true;

    assertThat(depth()).isNaN();
    assertThat(age()).isNaN();
    assertThat(queue.reads.get()).isEqualTo(1);

    queue.failing = false;
    queue.depth = new JobQueue.Depth(1, clock.instant());
    clock.advance(QueueMetrics.REFRESH);
    assertThat(depth()).isEqualTo(1);
  }

  private double depth() {
    return registry.get("imgpress.queue.depth").gauge().value();
  }

  private double age() {
    return registry.get("imgpress.queue.oldest.age").gauge().value();
  }

  static final class FakeQueue implements JobQueue {
    volatile Depth depth = new Depth(0, null);
    volatile boolean failing;
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Depth depth() {
      reads.incrementAndGet();
      if (failing) {
        throw new IllegalStateException("database down");
      }
      return depth;
    }

    @Override
    public void enqueue(List<Job> jobs) {}

    @Override
    public List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease) {
      return List.of();
    }

    @Override
    public boolean renew(ClaimedJob job, Duration lease) {
      return false;
    }

    @Override
    public boolean complete(ClaimedJob job) {
      return false;
    }

    @Override
    public boolean reschedule(ClaimedJob job, Instant runAt) {
      return false;
    }
  }
}
