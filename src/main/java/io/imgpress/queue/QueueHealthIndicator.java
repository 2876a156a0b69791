package io.imgpress.queue;

import io.imgpress.queue.JobQueue.Depth;
import java.time.Clock;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code queue}: the queue answers. A long queue stays UP on purpose: taking the instance out of
 * service would not shorten it; the backlog is for alerts on the queue metrics. The probe itself
 * reads one row; the backlog in its details is the metrics' latest reading, since counting a long
 * queue on every probe could outlast the probe's timeout.
 */
@Component
class QueueHealthIndicator extends AbstractHealthIndicator {

  private final JobQueue queue;
  private final QueueMetrics metrics;
  private final Clock clock;

  QueueHealthIndicator(JobQueue queue, QueueMetrics metrics, Clock clock) {
    super("Job queue health check failed");
    this.queue = queue;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    queue.checkHealth();
    builder.up();
    Depth depth = metrics.latest();
    if (depth != null) {
      builder
          .withDetail("jobs", depth.jobs())
          .withDetail("oldestAgeSeconds", QueueAge.seconds(depth, clock.instant()));
    }
  }
}
