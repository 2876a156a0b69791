package io.imgpress.processing;

import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Reschedule;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.Change;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.HandBack;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.RequestFinishedListener;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the outcomes of attempts in group commits: one thread takes whatever outcomes queued
 * while the previous commit ran (up to {@link #MAX_BATCH}), applies them to the request store in
 * one transaction, and only then completes or reschedules their jobs, in one call to the queue. No
 * delay is added: an outcome that finds the recorder idle is committed at once, and under load
 * outcomes gather by themselves while a commit runs.
 *
 * <p>Store first, queue second, and no transaction shared between them: should the process die in
 * between, a final image's job is handed out again and its worker finds the image final and just
 * completes the job, and a retried image's job runs when its lease ends instead of after its
 * backoff. An outcome the store refuses (the image changed hands after a lost lease) leaves the job
 * to the worker that holds it now.
 *
 * <p>An outcome whose image is gone (its request was deleted while the attempt ran) completes its
 * job, and a completion removes the object it stored: the deletion emptied the request's storage
 * folder before or after the put, and only this attempt knows of an object put after. The store
 * refuses the outcome in the same transaction that would have recorded it, so an object is either
 * named by a row the deletion removes (and emptied with the folder after it) or removed here.
 */
final class Recorder {

  private static final Logger log = LoggerFactory.getLogger(Recorder.class);

  static final int MAX_BATCH = 256;

  /** A batch this size is committed at once; a smaller one waits up to {@link #GATHER_DELAY}. */
  static final int GATHER_TARGET = 32;

  static final Duration GATHER_DELAY = Duration.ofMillis(5);

  /** Tries of one outcome that the store keeps refusing with an error before it is let go. */
  private static final int MAX_TRIES = 5;

  private final ImageTransitions transitions;
  private final ImageStore images;
  private final JobQueue queue;
  private final List<RequestFinishedListener> listeners;
  private final Runnable requestsFinished;
  private final Consumer<InFlightImage> done;
  private final BlockingQueue<Entry> pending = new LinkedBlockingQueue<>();
  private final StageMeter meter;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param requestsFinished run after a commit that finished requests (whose webhook jobs the store
   *     then recorded in its outbox)
   * @param done told when an image left the pipeline: recorded, refused, or let go
   */
  Recorder(
      ImageTransitions transitions,
      ImageStore images,
      JobQueue queue,
      List<RequestFinishedListener> listeners,
      Runnable requestsFinished,
      Consumer<InFlightImage> done,
      MeterRegistry registry) {
    this.transitions = transitions;
    this.images = images;
    this.queue = queue;
    this.listeners = listeners;
    this.requestsFinished = requestsFinished;
    this.done = done;
    this.meter = new StageMeter(registry, "record", pending::size);
  }

  /**
   * Queues one outcome.
   *
   * @param runAt when a retried or handed-back image's job runs again; null for a final change
   * @param applied run once the change was recorded (for metrics)
   */
  void submit(InFlightImage image, Change change, Instant runAt, Runnable applied) {
    pending.add(new Entry(image, change, runAt, applied, 0));
  }

  private record Entry(
      InFlightImage image, Change change, Instant runAt, Runnable applied, int tries) {
    boolean isFinal() {
      return change instanceof Completion || change instanceof Failure;
    }

    /** The same outcome, one try later. */
    Entry again() {
      return new Entry(image, change, runAt, applied, tries + 1);
    }
  }

  synchronized void start() {
    running = true;
    BatchLoop<Entry> loop =
        new BatchLoop<>(
            pending,
            () -> running,
            this::gather,
            this::flush,
            (batch, e) -> log.error("Could not record {} outcome(s)", batch.size(), e));
    thread = Thread.ofPlatform().name("imgpress-record").start(loop);
  }

  /** Records what is queued, then stops; what is still queued after the deadline is let go. */
  synchronized void stop(Duration deadline) throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(deadline.toMillis());
      thread.interrupt();
      thread = null;
    }
  }

  /**
   * Takes what else is queued, and while that is fewer than {@link #GATHER_TARGET}, waits up to
   * {@link #GATHER_DELAY} for more: a few milliseconds of latency buy a commit shared by many.
   */
  private void gather(List<Entry> batch) throws InterruptedException {
    long deadline = System.nanoTime() + GATHER_DELAY.toNanos();
    pending.drainTo(batch, MAX_BATCH - batch.size());
    while (batch.size() < GATHER_TARGET) {
      long left = deadline - System.nanoTime();
      Entry next = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        return;
      }
      batch.add(next);
      pending.drainTo(batch, MAX_BATCH - batch.size());
    }
  }

  private void flush(List<Entry> batch) throws InterruptedException {
    List<Outcome> outcomes;
    try (var span = meter.begin(batch.size())) {
      outcomes = commit(batch);
    } catch (RuntimeException e) {
      retryApart(batch, e);
      return;
    }
    List<ClaimedJob> toComplete = new ArrayList<>();
    List<Reschedule> toReschedule = new ArrayList<>();
    List<Entry> orphans = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Entry entry = batch.get(i);
      if (!outcomes.get(i).applied() && outcomes.get(i).requestStatus() == null) {
        // The image is gone with its request: nothing will ever run this job again.
        toComplete.add(entry.image().job());
        if (entry.change() instanceof Completion) {
          orphans.add(entry);
        }
      } else if (!outcomes.get(i).applied()) {
        if (!(entry.change() instanceof HandBack)) {
          // A refused hand-back is an image whose outcome was recorded first: nothing to say.
          log.warn(
              "Image {} was taken over by another worker; this attempt's outcome is dropped",
              entry.image().imageId());
        }
      } else if (entry.isFinal()) {
        toComplete.add(entry.image().job());
      } else {
        toReschedule.add(
            new Reschedule(entry.image().job(), entry.runAt(), entry.change() instanceof HandBack));
      }
    }
    settleJobs(toComplete, toReschedule);
    removeOrphans(orphans);
    for (int i = 0; i < batch.size(); i++) {
      Entry entry = batch.get(i);
      if (outcomes.get(i).applied()) {
        entry.applied().run();
      }
      done.accept(entry.image());
    }
  }

  private List<Outcome> commit(List<Entry> batch) {
    List<Change> changes = batch.stream().map(Entry::change).toList();
    List<Outcome> outcomes = transitions.record(changes);
    boolean finished = false;
    for (Outcome o : outcomes) {
      if (o.finishedRequest()) {
        finished = true;
        listeners.forEach(l -> l.requestFinished(o.requestId(), o.requestStatus()));
      }
    }
    if (finished) {
      requestsFinished.run();
    }
    return outcomes;
  }

  /**
   * Removes the outputs (and previews) of images whose request was deleted meanwhile. Should that
   * fail, the deletion's second emptying of the folder removes them.
   */
  private void removeOrphans(List<Entry> orphans) {
    for (Entry entry : orphans) {
      UUID requestId = entry.image().work().requestId();
      long imageId = entry.image().imageId();
      // The output is named by its request's format, which is what the store stage wrote.
      StorageKey output =
          StorageKey.forImage(requestId, imageId, entry.image().work().output().format());
      for (StorageKey key : List.of(output, StorageKey.forPreview(requestId, imageId))) {
        try {
          images.delete(key);
          log.info("{}: its request was deleted meanwhile; removed it", key.publicPath());
        } catch (RuntimeException e) {
          log.warn("{}: its request was deleted; could not remove it", key.publicPath(), e);
        }
      }
    }
  }

  /**
   * The jobs' side, after the store committed. Should it fail, the jobs come back when their leases
   * run out and find their images already settled.
   */
  private void settleJobs(List<ClaimedJob> toComplete, List<Reschedule> toReschedule) {
    try {
      if (!toComplete.isEmpty()) {
        queue.completeAll(toComplete);
      }
      if (!toReschedule.isEmpty()) {
        queue.rescheduleAll(toReschedule);
      }
    } catch (RuntimeException e) {
      log.warn(
          "Could not settle {} job(s); they come back after their lease",
          toComplete.size() + toReschedule.size(),
          e);
    }
  }

  /**
   * A batch the store refused as a whole (a lock timeout, a lost connection, one bad value): each
   * outcome goes back to the queue to be committed on its own after a short wait, so one that
   * cannot be recorded does not hold up the rest; after {@link #MAX_TRIES} it is let go, and its
   * image runs again once its job's lease ends (its output, if stored, is kept).
   */
  private void retryApart(List<Entry> batch, RuntimeException cause) throws InterruptedException {
    log.warn("Could not record {} outcome(s); trying again", batch.size(), cause);
    Thread.sleep(Math.min(5_000, 100L << Math.min(6, batch.getFirst().tries())));
    for (Entry entry : batch) {
      Entry again = entry.again();
      if (again.tries() >= MAX_TRIES) {
        log.error(
            "Gave up recording the outcome of image {}; it runs again after its lease",
            entry.image().imageId());
        done.accept(entry.image());
      } else if (batch.size() > 1) {
        flush(List.of(again));
      } else {
        pending.add(again);
      }
    }
  }
}
