package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.queue.WorkerSettings.Lane;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.support.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker pool on the real JDBC queue and the real clock, with handlers that misbehave. */
class JobWorkersTest {

  final Clock clock = Clock.systemUTC();
  final JobQueue queue = JdbcQueues.queue(TestDatabase.h2(), clock);
  final List<JobWorkers> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(JobWorkers::stop);
  }

  @Test
  void workersSurviveErrorsAndThePoolKeepsItsSize() throws Exception {
    CountDownLatch allFourAtOnce = new CountDownLatch(4);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger errors = new AtomicInteger();
    start(
        4,
        Duration.ofMinutes(10),
        handler(
            JobKind.IMAGE,
            job -> {
              if (job.ref().startsWith("boom") && job.deliveries() == 1) {
                errors.incrementAndGet();
                if (job.ref().endsWith("0")) {
                  throw new OutOfMemoryError("Java heap space (test)");
                }
                throw new StackOverflowError("test");
              }
              if (job.ref().startsWith("ok")) {
                threads.add(Thread.currentThread().getName());
                allFourAtOnce.countDown();
                await(allFourAtOnce, 15);
              }
              queue.complete(job);
            }));
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jobs.add(new Job(JobKind.IMAGE, "boom-" + (i % 2), clock.instant()));
    }
    queue.enqueue(jobs);
    awaitUntil(() -> errors.get() == 8, "every failing job ran");
    queue.enqueue(
        List.of(
            new Job(JobKind.IMAGE, "ok-1", clock.instant()),
            new Job(JobKind.IMAGE, "ok-2", clock.instant()),
            new Job(JobKind.IMAGE, "ok-3", clock.instant()),
            new Job(JobKind.IMAGE, "ok-4", clock.instant())));

    assertThat(allFourAtOnce.await(10, TimeUnit.SECONDS))
        .as("all four workers are alive and take a job each")
        .isTrue();
    assertThat(threads).hasSize(4);
    awaitUntil(
        () -> queue.depth().jobs() == 0,
        "the jobs that threw went back to the queue and ran again, long before their lease ended");
  }

  @Test
  void aJobThatLeavesItsThreadInterruptedDoesNotEndTheWorker() {
    Set<String> done = ConcurrentHashMap.newKeySet();
    start(
        1,
        Duration.ofMinutes(10),
        handler(
            JobKind.IMAGE,
            job -> {
              done.add(job.ref());
              queue.complete(job);
              if (job.ref().equals("first")) {
                Thread.currentThread().interrupt(); // as code that swallowed an interrupt may
              }
            }));
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "first", clock.instant())));
    awaitUntil(() -> done.contains("first"), "the first job ran");
    sleep(200);
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "second", clock.instant())));

    awaitUntil(() -> done.contains("second"), Duration.ofSeconds(5), "the only worker still works");
  }

  @Test
  void aJobSlowerThanItsLeaseKeepsItWhileItRuns() {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    start(
        2,
        Duration.ofMillis(400),
        handler(
            JobKind.IMAGE,
            job -> {
              runs.computeIfAbsent(job.ref(), r -> new AtomicInteger()).incrementAndGet();
              sleep(1500);
              if (!queue.complete(job)) {
                refused.incrementAndGet();
              }
            }));
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "slow", clock.instant())));

    awaitUntil(() -> queue.depth().jobs() == 0, "the slow job completed");
    assertThat(runs.get("slow").get()).as("handed out once").isEqualTo(1);
    assertThat(refused.get()).isZero();
  }

  @Test
  void blockedWebhookDeliveriesDoNotHoldUpIntakeOrImages() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger webhooksWaiting = new AtomicInteger();
    Set<String> done = ConcurrentHashMap.newKeySet();
    Consumer<ClaimedJob> finish =
        job -> {
          done.add(job.ref());
          queue.complete(job);
        };
    start(
        List.of(
            new Lane("worker", EnumSet.of(JobKind.INTAKE, JobKind.IMAGE), 2),
            new Lane("webhook", EnumSet.of(JobKind.WEBHOOK), 2)),
        Duration.ofMinutes(10),
        handler(
            JobKind.WEBHOOK,
            job -> {
              webhooksWaiting.incrementAndGet();
              await(release, 60); // a receiver that holds the connection open
              queue.complete(job);
            }),
        handler(JobKind.INTAKE, finish),
        handler(JobKind.IMAGE, finish));
    try {
      List<Job> hooks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        hooks.add(new Job(JobKind.WEBHOOK, "hook-" + i, clock.instant()));
      }
      queue.enqueue(hooks);
      awaitUntil(() -> webhooksWaiting.get() >= 1, "a delivery is under way");
      sleep(300);
      queue.enqueue(
          List.of(
              new Job(JobKind.INTAKE, "upload", clock.instant()),
              new Job(JobKind.IMAGE, "image", clock.instant())));

      awaitUntil(
          () -> done.containsAll(Set.of("upload", "image")),
          Duration.ofSeconds(10),
          "intake and image ran while every delivery hung");
    } finally {
      release.countDown();
    }
  }

  private void start(int workers, Duration lease, JobHandler... handlers) {
    start(List.of(new Lane("all", EnumSet.allOf(JobKind.class), workers)), lease, handlers);
  }

  private void start(List<Lane> lanes, Duration lease, JobHandler... handlers) {
    JobWorkers pool =
        new JobWorkers(
            queue,
            new WorkSignal(),
            new WorkerSettings(lanes, lease, Duration.ofMillis(20)),
            List.of(handlers),
            clock);
    started.add(pool);
    pool.start();
  }

  private static JobHandler handler(JobKind kind, Consumer<ClaimedJob> work) {
    return new JobHandler() {
      @Override
      public JobKind kind() {
        return kind;
      }

      @Override
      public void handle(ClaimedJob job) {
        work.accept(job);
      }
    };
  }

  private static void awaitUntil(BooleanSupplier condition, String what) {
    awaitUntil(condition, Duration.ofSeconds(15), what);
  }

  private static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      sleep(20);
    }
  }

  private static void await(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
