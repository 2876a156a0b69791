package io.imgpress.queue;

import io.imgpress.queue.JobOutbox.Entry;
import io.imgpress.queue.JobQueue.Job;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Moves jobs from the store's {@link JobOutbox} to the {@link JobQueue}: woken by {@link #kick}
 * right after a store change that recorded jobs, and every {@code poll-interval} for entries whose
 * writer died before its relay ran. Every process relays (the API writes intake jobs, workers the
 * image and webhook jobs); entries are leased, so two relays rarely send one entry, and a job sent
 * twice is harmless (handlers are idempotent and the queue is at-least-once anyway).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final JobOutbox outbox;
  private final JobQueue queue;
  private final WorkSignal signal;
  private final OutboxProperties properties;
  private final Semaphore kicks = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public OutboxRelay(
      JobOutbox outbox, JobQueue queue, WorkSignal signal, OutboxProperties properties) {
    this.outbox = outbox;
    this.queue = queue;
    this.signal = signal;
    this.properties = properties;
  }

  /** Relays soon: call after a store change that recorded jobs has committed. */
  public void kick() {
    if (kicks.availablePermits() == 0) {
      kicks.release();
    }
  }

  /**
   * Relays every takeable entry now, on the caller's thread.
   *
   * @return jobs relayed
   */
  public int relayAll() {
    int relayed = 0;
    while (true) {
      List<Entry> entries = outbox.take(properties.batch(), properties.lease());
      if (entries.isEmpty()) {
        return relayed;
      }
      List<Job> jobs = entries.stream().flatMap(e -> e.jobs().stream()).toList();
      queue.enqueue(jobs);
      outbox.relayed(entries);
      signal.jobsAdded(jobs.size());
      relayed += jobs.size();
    }
  }

  private void loop() {
    boolean failing = false;
    while (running) {
      try {
        relayAll();
        if (failing) {
          log.info("Relaying jobs from the outbox again");
          failing = false;
        }
      } catch (RuntimeException e) {
        // The store or the queue may be briefly away; the entries wait, leased or not. Said once
        // per outage with its cause, then at debug, rather than every poll.
        if (!failing) {
          log.warn(
              "Could not relay jobs from the outbox; trying every {}",
              properties.pollInterval(),
              e);
          failing = true;
        } else {
          log.debug("Could not relay jobs from the outbox", e);
        }
      }
      try {
        kicks.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        kicks.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = Thread.ofPlatform().name("imgpress-outbox-relay").daemon().start(this::loop);
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      // No interrupt: one could close the embedded database's file under a relay in progress.
      kicks.release();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
      // What the last work before the stop recorded (a finished request's webhook job) goes now,
      // not at the next start.
      try {
        relayAll();
      } catch (RuntimeException e) {
        log.warn("Could not relay the outbox at stop; its entries go at the next start", e);
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the workers (so their first claims find relayed jobs) and stopped after them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2000;
  }
}
