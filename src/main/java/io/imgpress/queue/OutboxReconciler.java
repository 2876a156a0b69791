package io.imgpress.queue;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.JobOutbox.Page;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Gives a queue that can lose its data every job the store's state still needs, every {@code
 * imgpress.queue.outbox.reconcile-interval}: a Redis restarted without persistence forgets every
 * job, and the outbox has relayed them long ago. The queue ignores the jobs it still holds, so the
 * pass costs a read of the open work and a round trip per page, not duplicate work.
 */
@ConditionalOnWorkerRole
@ConditionalOnProperty(name = "imgpress.queue", havingValue = "redis")
@Component
class OutboxReconciler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxReconciler.class);

  private final JobOutbox outbox;
  private final JobQueue queue;
  private final WorkSignal signal;
  private final OutboxProperties properties;
  private volatile ScheduledExecutorService timer;

  OutboxReconciler(
      JobOutbox outbox, JobQueue queue, WorkSignal signal, OutboxProperties properties) {
    this.outbox = outbox;
    this.queue = queue;
    this.signal = signal;
    this.properties = properties;
  }

  /**
   * One pass over the open work.
   *
   * @return jobs given to the queue (most of which it usually held already)
   */
  int reconcile() {
    int sent = 0;
    String cursor = null;
    do {
      Page page = outbox.openWork(cursor, properties.batch());
      if (!page.jobs().isEmpty()) {
        queue.enqueue(page.jobs());
        sent += page.jobs().size();
      }
      cursor = page.next();
    } while (cursor != null);
    if (sent > 0) {
      signal.jobsAdded(sent);
    }
    return sent;
  }

  private void pass() {
    try {
      int sent = reconcile();
      log.debug("Reconciled {} open jobs with the queue", sent);
    } catch (RuntimeException e) {
      log.warn("Could not reconcile the queue with the store; trying again later", e);
    }
  }

  @Override
  public synchronized void start() {
    long period = properties.reconcileInterval().toMillis();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("imgpress-reconciler").daemon().factory());
    timer.scheduleWithFixedDelay(this::pass, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdown();
      try {
        // A pass in progress finishes before the queue's connection closes.
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

  /** Stopped before the queue and the store close (their beans outlive the default phase). */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2000;
  }
}
