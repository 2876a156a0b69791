package io.imgpress.queue;

import io.imgpress.queue.JobQueue.Depth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * {@code imgpress.queue.depth} (jobs not yet completed, retries waiting included) and {@code
 * imgpress.queue.oldest.age} (seconds since the oldest of them was enqueued). The depth is a query,
 * so it is read at most once per {@link #REFRESH} however often the metrics are scraped.
 */
@Component
public class QueueMetrics implements MeterBinder {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final JobQueue queue;
  private final Clock clock;
  private Reading last;

  public QueueMetrics(JobQueue queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("imgpress.queue.depth", this, QueueMetrics::jobs)
        .description("Jobs not yet completed (images and webhooks, retries waiting included)")
        .register(registry);
    Gauge.builder("imgpress.queue.oldest.age", this, QueueMetrics::oldestAgeSeconds)
        .description("Time since the oldest job not yet completed was enqueued")
        .baseUnit("seconds")
        .register(registry);
  }

  private double jobs() {
    Depth depth = read().depth();
    return depth == null ? Double.NaN : depth.jobs();
  }

  private double oldestAgeSeconds() {
    Depth depth = read().depth();
    return depth == null ? Double.NaN : QueueAge.seconds(depth, clock.instant());
  }

  /**
   * The latest depth, read at most once per {@link #REFRESH}, so callers on every request (the
   * upload's backlog check) cost the queue nothing more; null when that read failed.
   */
  public Depth latest() {
    return read().depth();
  }

  /** A failed read is kept for the refresh period too, so a down database is not hammered. */
  private synchronized Reading read() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(last.at().plus(REFRESH))) {
      Depth depth;
      try {
        depth = queue.depth();
      } catch (RuntimeException e) {
        depth = null; // NaN on the gauges; the queue health indicator reports the error
      }
      last = new Reading(depth, now);
    }
    return last;
  }

  private record Reading(Depth depth, Instant at) {}
}
