package io.imgpress.queue;

import io.imgpress.queue.JobQueue.Depth;
import java.time.Duration;
import java.time.Instant;

/** How long the oldest unfinished job has waited; 0 for an empty queue. */
final class QueueAge {

  private QueueAge() {}

  static long seconds(Depth depth, Instant now) {
    if (depth.oldestEnqueued() == null) {
      return 0;
    }
    return Math.max(0, Duration.between(depth.oldestEnqueued(), now).toSeconds());
  }
}
