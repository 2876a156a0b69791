package io.imgpress.queue;

import io.imgpress.queue.JobQueue.ClaimedJob;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A bounded pool of workers that claim due jobs and hand them to their {@link JobHandler}. Starts
 * after the application is ready and stops before the database closes.
 */
@Component
class JobWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

  private final JobQueue queue;
  private final WorkSignal signal;
  private final WorkerSettings properties;
  private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);
  private volatile ExecutorService pool;
  private volatile boolean running;

  JobWorkers(JobQueue queue, WorkSignal signal, WorkerSettings properties, List<JobHandler> all) {
    this.queue = queue;
    this.signal = signal;
    this.properties = properties;
    all.forEach(h -> handlers.put(h.kind(), h));
  }

  @Override
  public void start() {
    running = true;
    pool =
        Executors.newFixedThreadPool(
            properties.workers(), Thread.ofPlatform().name("imgpress-worker-", 1).factory());
    for (int i = 0; i < properties.workers(); i++) {
      pool.execute(this::loop);
    }
    log.info("Started {} workers", properties.workers());
  }

  private void loop() {
    while (running) {
      try {
        Optional<ClaimedJob> job = queue.claim(properties.lease());
        if (job.isPresent()) {
          run(job.get());
        } else {
          signal.await(properties.pollInterval());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The store may be briefly unavailable; keep the worker alive and try again later.
        log.error("Worker could not claim or finish a job", e);
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
      handler.handle(job);
    } catch (LeaseLostException e) {
      // Its lease ran out while it worked; the worker now holding the job decides its outcome.
      log.warn("Gave up a job whose lease was lost: {}", e.getMessage());
    } finally {
      MDC.remove("jobId");
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(properties.pollInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    running = false;
    ExecutorService current = pool;
    if (current == null) {
      return;
    }
    current.shutdown();
    try {
      if (!current.awaitTermination(30, TimeUnit.SECONDS)) {
        // Unfinished jobs keep their rows; they are handed out again after a restart.
        current.shutdownNow();
      }
    } catch (InterruptedException e) {
      current.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
