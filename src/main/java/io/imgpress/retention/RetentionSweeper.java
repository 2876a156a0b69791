package io.imgpress.retention;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.request.PendingDeletion;
import io.imgpress.request.RequestRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every {@code imgpress.retention.sweep-interval}, on each worker process: finishes the deletions
 * that are due (see {@link RequestDeletion}), then, with a retention period set, deletes the
 * finished requests whose last change is older than it, a page of {@code batch-size} at a time and
 * at most {@link RetentionProperties#MAX_PAGES_PER_SWEEP} pages per sweep. Several processes may
 * sweep at once: they may pick the same requests, and deleting one twice is harmless (the second
 * finds it gone).
 */
@ConditionalOnWorkerRole
@Component
class RetentionSweeper implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  private final RequestRepository requests;
  private final RequestDeletion deletion;
  private final RetentionProperties properties;
  private final Clock clock;
  private volatile ScheduledExecutorService timer;

  RetentionSweeper(
      RequestRepository requests,
      RequestDeletion deletion,
      RetentionProperties properties,
      Clock clock) {
    this.requests = requests;
    this.deletion = deletion;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * One sweep.
   *
   * @return the requests retention deleted
   */
  int sweep() {
    finishDeletions();
    return properties.keepFor().map(this::expire).orElse(0);
  }

  private void finishDeletions() {
    for (int page = 0; page < RetentionProperties.MAX_PAGES_PER_SWEEP; page++) {
      List<PendingDeletion> due = requests.deletionsDue(clock.instant(), properties.batchSize());
      for (PendingDeletion pending : due) {
        try {
          deletion.finish(pending);
        } catch (RuntimeException e) {
          // Due again at the next sweep, behind the others, so one that keeps failing holds up
          // none of them.
          log.warn(
              "Could not finish deleting request {}; trying again later", pending.requestId(), e);
          requests.deletionDueAt(
              pending.requestId(), clock.instant().plus(properties.sweepInterval()));
        }
      }
      if (due.size() < properties.batchSize()) {
        return;
      }
    }
  }

  private int expire(Duration period) {
    int deleted = 0;
    for (int page = 0; page < RetentionProperties.MAX_PAGES_PER_SWEEP; page++) {
      List<UUID> old =
          requests.finishedBefore(clock.instant().minus(period), properties.batchSize());
      for (UUID id : old) {
        if (deletion.expire(id)) {
          deleted++;
        }
      }
      if (old.size() < properties.batchSize()) {
        break;
      }
    }
    if (deleted > 0) {
      log.info("Retention deleted {} request(s) finished more than {} ago", deleted, period);
    }
    return deleted;
  }

  private void pass() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Retention sweep failed; trying again in {}", properties.sweepInterval(), e);
    }
  }

  @Override
  public synchronized void start() {
    long period = properties.sweepInterval().toMillis();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("imgpress-retention").daemon().factory());
    timer.scheduleWithFixedDelay(this::pass, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdown();
      try {
        // A sweep in progress finishes its current request before the store closes.
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }

  /** Stopped before the store and the image store close. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2000;
  }
}
