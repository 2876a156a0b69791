package io.imgpress.queue;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.WorkerSettings.Lane;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Bounded pools of workers, one per {@link Lane}, that claim due jobs of their lane's kinds and
 * hand them to their {@link JobHandler}. Starts after the application is ready and stops before the
 * database closes.
 *
 * <p>While a handler runs, its job's lease is renewed every third of the lease, so an attempt may
 * take longer than the lease without the job going to a second worker; a renewal that is refused
 * means the job went elsewhere, and the queue then refuses this worker's outcome too. A worker
 * survives whatever its handler throws, errors included: the job goes back to the queue for a later
 * try and the worker takes the next one, so the pool keeps its size.
 *
 * <p>At stop (from the moment the context begins to close) the workers claim no more, and the jobs
 * running get {@link WorkerSettings#stopTimeout()} to finish. A job still running then is released:
 * put back in the queue due at once, its delivery not counted, and its worker interrupted. Its
 * handler's own outcome, should it still come, is refused by the queue (the lease is gone); its
 * store writes are ones a repeat makes harmless (an expansion done once, a webhook log that only
 * moves forward), so whoever runs the job next finishes it.
 */
@ConditionalOnWorkerRole
@Component
class JobWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

  /** Wait before a job whose handler threw runs again, by its deliveries so far. */
  private static final Backoff AFTER_A_THROW =
      new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final JobQueue queue;
  private final WorkSignal signal;
  private final WorkerSettings settings;
  private final Clock clock;
  private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);
  private final List<ExecutorService> pools = new ArrayList<>();
  private final List<WorkSignal.Waiter> waiters = new CopyOnWriteArrayList<>();
  private final Set<ClaimedJob> runningJobs = ConcurrentHashMap.newKeySet();
  private final Set<ClaimedJob> released = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService renewer;
  private volatile boolean running;
  private volatile boolean claiming;
  private final AtomicLong stopBegan = new AtomicLong();

  JobWorkers(
      JobQueue queue,
      WorkSignal signal,
      WorkerSettings settings,
      List<JobHandler> all,
      Clock clock) {
    this.queue = queue;
    this.signal = signal;
    this.settings = settings;
    this.clock = clock;
    all.forEach(h -> handlers.put(h.kind(), h));
  }

  @Override
  public synchronized void start() {
    running = true;
    claiming = true;
    stopBegan.set(0);
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("imgpress-lease-renewer").daemon().factory());
    // EnumSet.copyOf(Collection) refuses an empty collection, as when no handlers are registered.
    Set<JobKind> unclaimed = EnumSet.noneOf(JobKind.class);
    unclaimed.addAll(handlers.keySet());
    for (Lane lane : settings.lanes()) {
      unclaimed.removeAll(lane.kinds());
      WorkSignal.Waiter waiter = signal.waiter(lane.workers());
      waiters.add(waiter);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              lane.workers(),
              Thread.ofPlatform().name("imgpress-" + lane.name() + "-", 1).factory());
      pools.add(pool);
      for (int i = 0; i < lane.workers(); i++) {
        pool.execute(() -> loop(lane, waiter));
      }
      log.info("Started {} {} workers for {}", lane.workers(), lane.name(), lane.kinds());
    }
    if (!unclaimed.isEmpty()) {
      log.warn("No workers claim {} jobs; they wait in the queue", unclaimed);
    }
  }

  private void loop(Lane lane, WorkSignal.Waiter waiter) {
    while (claiming) {
      // The stop clears claiming before it interrupts anyone, so an interrupt seen while claiming
      // is a stray one a job left behind: it must not end the worker.
      Thread.interrupted();
      try {
        List<ClaimedJob> claimed = queue.claim(lane.kinds(), 1, settings.lease());
        if (claimed.isEmpty()) {
          waiter.await(settings.pollInterval());
        } else if (!claiming) {
          // Claimed while the stop began: not started, so simply put back.
          queue.rescheduleAll(
              List.of(new JobQueue.Reschedule(claimed.getFirst(), clock.instant(), true)));
        } else {
          run(claimed.getFirst());
        }
      } catch (InterruptedException e) {
        // Stopping, or a stray interrupt: the loop condition decides.
      } catch (Throwable e) {
        // The store may be briefly unavailable, or memory short; keep the worker and try later.
        log.error("Worker could not claim a job", e);
        sleepQuietly();
      }
    }
  }

  private void run(ClaimedJob job) {
    MDC.put("jobId", job.handle());
    try {
      JobHandler handler = handlers.get(job.kind());
      if (handler == null) {
        log.error("No handler for job kind {}; dropping job {}", job.kind(), job.ref());
        queue.complete(job);
        return;
      }
      Throwable thrown = null;
      Heartbeat heartbeat = new Heartbeat(job);
      runningJobs.add(job);
      try {
        heartbeat.start();
        handler.handle(job);
      } catch (Throwable e) {
        thrown = e;
      } finally {
        heartbeat.stop();
        runningJobs.remove(job);
      }
      if (released.remove(job)) {
        log.info("{} job {} was cut short by the stop; it runs again", job.kind(), job.ref());
      } else if (thrown != null) {
        giveBack(job, thrown);
      }
    } finally {
      MDC.remove("jobId");
    }
  }

  /**
   * Puts back a job whose handler threw, to run again after a wait. Should that fail too (the store
   * is down, memory is still short), the job comes back when its lease runs out. A job that throws
   * every time is bounded by its handler, which sees its {@link ClaimedJob#deliveries}.
   */
  private void giveBack(ClaimedJob job, Throwable thrown) {
    Duration wait = AFTER_A_THROW.after(job.deliveries());
    log.error(
        "{} job {} failed (delivery {}); it runs again in {} ms",
        job.kind(),
        job.ref(),
        job.deliveries(),
        wait.toMillis(),
        thrown);
    try {
      queue.reschedule(job, clock.instant().plus(wait));
    } catch (Throwable e) {
      log.warn(
          "Could not put back {} job {}; it runs again after its lease", job.kind(), job.ref());
    }
  }

  /** Renews one running job's lease every third of the lease until it is stopped or refused. */
  private final class Heartbeat implements Runnable {

    private final ClaimedJob job;
    private volatile ScheduledFuture<?> beats;
    private volatile boolean stopped;

    Heartbeat(ClaimedJob job) {
      this.job = job;
    }

    Heartbeat start() {
      long period = Math.max(1, settings.lease().toMillis() / 3);
      beats = renewer.scheduleAtFixedRate(this, period, period, TimeUnit.MILLISECONDS);
      return this;
    }

    @Override
    public void run() {
      if (stopped) {
        return;
      }
      try {
        if (!queue.renew(job, settings.lease()) && !stopped && !released.contains(job)) {
          log.warn(
              "Lost the lease on {} job {}; another worker may run it, and this worker's outcome"
                  + " will be refused",
              job.kind(),
              job.ref());
          beats.cancel(false);
        }
      } catch (Throwable e) {
        // The lease may still hold: try again at the next beat.
        log.warn("Could not renew the lease on {} job {}", job.kind(), job.ref(), e);
      }
    }

    void stop() {
      stopped = true;
      ScheduledFuture<?> scheduled = beats;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(settings.pollInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming as soon as the context begins to close (after readiness went down), before the
   * lifecycle beans are stopped one by one: so the stop timeout runs for these workers and the
   * image pipeline at the same time instead of one after the other.
   */
  @EventListener(ContextClosedEvent.class)
  void contextClosing() {
    beginStop();
  }

  private void beginStop() {
    claiming = false;
    stopBegan.compareAndSet(0, System.nanoTime());
    // Idle workers wait for a signal or their poll; they must not hold the stop that long.
    waiters.forEach(WorkSignal.Waiter::wakeAll);
  }

  @Override
  public synchronized void stop() {
    beginStop();
    running = false;
    waiters.forEach(signal::remove);
    waiters.clear();
    long deadline = stopBegan.get() + settings.stopTimeout().toNanos();
    pools.forEach(ExecutorService::shutdown);
    try {
      if (!awaitPools(deadline)) {
        releaseRunning();
        pools.forEach(ExecutorService::shutdownNow);
        // The interrupted handlers wind up; their outcomes are refused now.
        awaitPools(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      }
    } catch (InterruptedException e) {
      pools.forEach(ExecutorService::shutdownNow);
      Thread.currentThread().interrupt();
    }
    pools.clear();
    ScheduledExecutorService current = renewer;
    if (current != null) {
      current.shutdownNow();
    }
  }

  private boolean awaitPools(long deadline) throws InterruptedException {
    for (ExecutorService pool : pools) {
      long left = deadline - System.nanoTime();
      if (!pool.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Puts the jobs still running back in the queue, due at once and their deliveries not counted:
   * their leases end here, so a handler that finishes after all is refused and rolls back.
   */
  private void releaseRunning() {
    List<ClaimedJob> jobs = List.copyOf(runningJobs);
    if (jobs.isEmpty()) {
      return;
    }
    released.addAll(jobs);
    log.warn(
        "{} job(s) still running {} s after the stop began; putting them back in the queue",
        jobs.size(),
        settings.stopTimeout().toSeconds());
    try {
      queue.rescheduleAll(
          jobs.stream().map(j -> new JobQueue.Reschedule(j, clock.instant(), true)).toList());
    } catch (RuntimeException e) {
      log.warn("Could not put back {} job(s); they run again after their lease", jobs.size(), e);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
