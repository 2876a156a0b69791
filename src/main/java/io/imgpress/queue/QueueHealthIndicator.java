package io.imgpress.queue;

import io.imgpress.queue.JobQueue.Depth;
import java.time.Clock;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code queue}: the queue answers. A long queue stays UP on purpose: taking the instance out of
 * service would not shorten it; the backlog is for alerts on the queue metrics.
 */
@Component
class QueueHealthIndicator extends AbstractHealthIndicator {

  private final JobQueue queue;
  private final Clock clock;

  QueueHealthIndicator(JobQueue queue, Clock clock) {
    super("Job queue health check failed");
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Depth depth = queue.depth();
    builder
        .up()
        .withDetail("jobs", depth.jobs())
        .withDetail("oldestAgeSeconds", QueueAge.seconds(depth, clock.instant()));
  }
}
