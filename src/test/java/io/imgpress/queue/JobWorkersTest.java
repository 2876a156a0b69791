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

  @Test
  void startsWithoutAnyHandler() {
    // Regression: start() threw IllegalArgumentException (EnumSet.copyOf of an empty set).
    JobWorkers pool = workers(queue, 1, Duration.ofMinutes(10));
    started.add(pool);
    pool.start();
    assertThat(pool.isRunning()).isTrue();
  }

  @Test
  void isRunningFromStartUntilStop() {
    JobWorkers pool =
        workers(queue, 1, Duration.ofMinutes(10), handler(JobKind.IMAGE, queue::complete));
    assertThat(pool.isRunning()).isFalse();
    pool.start();
    assertThat(pool.isRunning()).isTrue();
    pool.stop();
    assertThat(pool.isRunning()).isFalse();
  }

  @Test
  void anIdleWorkerStopsAtOnceHoweverLongItsPoll() {
    JobWorkers pool =
        new JobWorkers(
            queue,
            new WorkSignal(),
            new WorkerSettings(
                List.of(new Lane("all", EnumSet.allOf(JobKind.class), 2)),
                Duration.ofMinutes(10),
                Duration.ofMinutes(5)),
            List.of(handler(JobKind.IMAGE, queue::complete)),
            clock);
    started.add(pool);
    pool.start();
    sleep(100); // both workers found nothing and wait for their poll

    long began = System.nanoTime();
    pool.stop();

    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .as("an idle stop wakes the waiting workers instead of waiting out the poll or the timeout")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void stopRemovesEachWaiterItAddedToTheSignalOnce() {
    List<WorkSignal.Waiter> added = new ArrayList<>();
    List<WorkSignal.Waiter> removed = new ArrayList<>();
    WorkSignal signal =
        new WorkSignal() {
          @Override
          public Waiter waiter(int workers) {
            Waiter waiter = super.waiter(workers);
            added.add(waiter);
            return waiter;
          }

          @Override
          public void remove(Waiter waiter) {
            removed.add(waiter);
            super.remove(waiter);
          }
        };
    JobWorkers pool =
        new JobWorkers(
            queue,
            signal,
            new WorkerSettings(
                List.of(
                    new Lane("worker", EnumSet.of(JobKind.INTAKE, JobKind.IMAGE), 1),
                    new Lane("webhook", EnumSet.of(JobKind.WEBHOOK), 1)),
                Duration.ofMinutes(10),
                Duration.ofMillis(20)),
            List.of(handler(JobKind.IMAGE, queue::complete)),
            clock);
    started.add(pool);
    pool.start();
    pool.stop();
    pool.start();
    pool.stop();

    assertThat(added).hasSize(4);
    assertThat(removed).as("each lane's waiter, at the stop after its start").isEqualTo(added);
  }

  @Test
  void stopLetsTheJobInFlightFinish() {
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    JobWorkers pool =
        workers(
            queue,
            1,
            Duration.ofMinutes(10),
            handler(
                JobKind.IMAGE,
                job -> {
                  running.countDown();
                  try {
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    return;
                  }
                  queue.complete(job);
                  finished.incrementAndGet();
                }));
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "in-flight", clock.instant())));
    await(running, 15);

    long before = System.nanoTime();
    pool.stop();

    assertThat(interrupted.get()).as("not interrupted before its deadline").isZero();
    assertThat(finished.get()).as("stop returned after the job finished").isEqualTo(1);
    assertThat(queue.depth().jobs()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .as("idle workers end at once, long before the 30 s deadline")
        .isLessThan(Duration.ofSeconds(20));
  }

  /**
   * A job still running at the stop timeout goes back to the queue due at once, its delivery not
   * counted, and its worker is interrupted; the handler's late outcome is refused.
   */
  @Test
  void stopPastItsDeadlineReleasesTheRunningJobAndRefusesItsLateOutcome() {
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    List<Boolean> lateOutcome = new java.util.concurrent.CopyOnWriteArrayList<>();
    JobWorkers pool =
        new JobWorkers(
            queue,
            new WorkSignal(),
            new WorkerSettings(
                List.of(new Lane("all", EnumSet.allOf(JobKind.class), 1)),
                Duration.ofMinutes(10),
                Duration.ofMillis(20),
                Duration.ofMillis(300)),
            List.of(
                handler(
                    JobKind.INTAKE,
                    job -> {
                      running.countDown();
                      try {
                        Thread.sleep(60_000);
                      } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                      }
                      lateOutcome.add(queue.complete(job));
                    })),
            clock);
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.INTAKE, "slow-upload", clock.instant())));
    await(running, 15);

    long before = System.nanoTime();
    pool.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(6));
    assertThat(interrupted.get()).isEqualTo(1);
    assertThat(lateOutcome).as("the late outcome is refused").containsExactly(false);
    List<ClaimedJob> again = queue.claim(EnumSet.of(JobKind.INTAKE), 5, Duration.ofMinutes(1));
    assertThat(again)
        .as("due at once, its delivery not counted")
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.ref()).isEqualTo("slow-upload");
              assertThat(j.deliveries()).isEqualTo(1);
            });
  }

  /** When the context begins to close the workers claim no more, before their stop() is called. */
  @Test
  void theClosingContextStopsClaimingBeforeTheStop() {
    AtomicInteger ran = new AtomicInteger();
    JobWorkers pool =
        workers(
            queue,
            2,
            Duration.ofMinutes(10),
            handler(
                JobKind.IMAGE,
                job -> {
                  ran.incrementAndGet();
                  queue.complete(job);
                }));
    started.add(pool);
    pool.start();

    pool.contextClosing();
    sleep(200); // idle workers leave their wait within the 20 ms poll interval
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "after-close", clock.instant())));
    sleep(300);

    assertThat(pool.isRunning()).isTrue();
    assertThat(ran.get()).isZero();
    assertThat(queue.depth().jobs()).isEqualTo(1);
  }

  @Test
  void stopCalledFromAnInterruptedThreadInterruptsTheJobsAndKeepsTheInterrupt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    JobWorkers pool =
        workers(
            queue,
            1,
            Duration.ofMinutes(10),
            handler(
                JobKind.IMAGE,
                job -> {
                  running.countDown();
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                  }
                }));
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "hangs", clock.instant())));
    await(running, 15);

    AtomicInteger stillInterrupted = new AtomicInteger();
    Thread stopper =
        Thread.ofPlatform()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  pool.stop();
                  if (Thread.currentThread().isInterrupted()) {
                    stillInterrupted.incrementAndGet();
                  }
                });
    stopper.join(Duration.ofSeconds(20));

    assertThat(stopper.isAlive()).as("stop returned without waiting for the job").isFalse();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the job was interrupted").isTrue();
    assertThat(stillInterrupted.get()).as("the caller's interrupt is kept").isEqualTo(1);
  }

  @Test
  void theLeaseIsRenewedWhileTheJobRunsAndNoLongerAfter() {
    CountingQueue counting = new CountingQueue(queue);
    CountDownLatch renewedTwice = new CountDownLatch(2);
    counting.onRenew = renewedTwice::countDown;
    AtomicInteger renewalsWhenDone = new AtomicInteger(-1);
    JobWorkers pool =
        workers(
            counting,
            1,
            Duration.ofMillis(150),
            handler(
                JobKind.IMAGE,
                job -> {
                  await(renewedTwice, 15);
                  queue.complete(job);
                  renewalsWhenDone.set(counting.renewals.get());
                }));
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "renewed", clock.instant())));

    awaitUntil(() -> renewalsWhenDone.get() >= 0, "the job finished");
    assertThat(renewalsWhenDone.get()).isGreaterThanOrEqualTo(2);
    sleep(400); // several beats' worth
    assertThat(counting.renewals.get())
        .as("the heartbeat stopped with the job")
        .isLessThanOrEqualTo(renewalsWhenDone.get() + 1)
        .isEqualTo(counting.renewalsOf("renewed"));
    assertThat(counting.refusedRenewals.get()).as("no beat after the job ended").isZero();
  }

  @Test
  void aRefusedRenewalEndsTheHeartbeat() {
    CountingQueue counting = new CountingQueue(queue);
    counting.refuseRenewals = true;
    CountDownLatch refused = new CountDownLatch(1);
    counting.onRenew = refused::countDown;
    AtomicInteger renewalsSeen = new AtomicInteger(-1);
    JobWorkers pool =
        workers(
            counting,
            1,
            Duration.ofMillis(60),
            handler(
                JobKind.IMAGE,
                job -> {
                  await(refused, 15);
                  sleep(300); // about 15 beats had the heartbeat gone on
                  renewalsSeen.set(counting.renewals.get());
                  queue.complete(job);
                }));
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "lost", clock.instant())));

    awaitUntil(() -> renewalsSeen.get() >= 0, "the job finished");
    assertThat(renewalsSeen.get()).isEqualTo(1);
  }

  @Test
  void aRenewalThatFailsIsTriedAgainAtTheNextBeat() {
    CountingQueue counting = new CountingQueue(queue);
    counting.failRenewals = true;
    CountDownLatch triedThrice = new CountDownLatch(3);
    counting.onRenew = triedThrice::countDown;
    AtomicInteger done = new AtomicInteger();
    JobWorkers pool =
        workers(
            counting,
            1,
            Duration.ofMillis(60),
            handler(
                JobKind.IMAGE,
                job -> {
                  if (triedThrice.getCount() == 0 || await(triedThrice, 15)) {
                    done.incrementAndGet();
                  }
                  queue.complete(job);
                }));
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "flaky", clock.instant())));

    awaitUntil(() -> queue.depth().jobs() == 0, "the job finished");
    assertThat(done.get()).as("renewal kept being tried after it threw").isEqualTo(1);
  }

  @Test
  void aWorkerWhoseClaimFailsWaitsBeforeTryingAgainAndThenWorks() {
    CountingQueue counting = new CountingQueue(queue);
    counting.failClaims = true;
    Set<String> done = ConcurrentHashMap.newKeySet();
    JobWorkers pool =
        new JobWorkers(
            counting,
            new WorkSignal(),
            new WorkerSettings(
                List.of(new Lane("all", EnumSet.allOf(JobKind.class), 1)),
                Duration.ofMinutes(10),
                Duration.ofMillis(200)),
            List.of(
                handler(
                    JobKind.IMAGE,
                    job -> {
                      done.add(job.ref());
                      queue.complete(job);
                    })),
            clock);
    started.add(pool);
    pool.start();
    queue.enqueue(List.of(new Job(JobKind.IMAGE, "later", clock.instant())));
    awaitUntil(() -> counting.claims.get() >= 1, "a claim was tried");
    sleep(400);
    assertThat(counting.claims.get())
        .as("one try per poll interval, not a busy loop")
        .isLessThan(30);

    counting.failClaims = false;
    awaitUntil(() -> done.contains("later"), "the worker recovered");
  }

  private JobWorkers workers(JobQueue on, int workers, Duration lease, JobHandler... handlers) {
    return new JobWorkers(
        on,
        new WorkSignal(),
        new WorkerSettings(
            List.of(new Lane("all", EnumSet.allOf(JobKind.class), workers)),
            lease,
            Duration.ofMillis(20)),
        List.of(handlers),
        clock);
  }

  /** The real queue, counting calls, and failing or refusing them on demand. */
  static final class CountingQueue implements JobQueue {
    final JobQueue real;
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger renewals = new AtomicInteger();
    final AtomicInteger refusedRenewals = new AtomicInteger();
    final Map<String, AtomicInteger> renewalsByRef = new ConcurrentHashMap<>();
    volatile boolean failClaims;
    volatile boolean failRenewals;
    volatile boolean refuseRenewals;
    volatile Runnable onRenew = () -> {};

    CountingQueue(JobQueue real) {
      this.real = real;
    }

    int renewalsOf(String ref) {
      AtomicInteger n = renewalsByRef.get(ref);
      return n == null ? 0 : n.get();
    }

    @Override
    public void enqueue(List<Job> jobs) {
      real.enqueue(jobs);
    }

    @Override
    public List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease) {
      claims.incrementAndGet();
      if (failClaims) {
        throw new IllegalStateException("store unavailable (test)");
      }
      return real.claim(kinds, max, lease);
    }

    @Override
    public boolean renew(ClaimedJob job, Duration lease) {
      renewals.incrementAndGet();
      renewalsByRef.computeIfAbsent(job.ref(), r -> new AtomicInteger()).incrementAndGet();
      try {
        if (failRenewals) {
          throw new IllegalStateException("store unavailable (test)");
        }
        if (refuseRenewals) {
          return false;
        }
        boolean renewed = real.renew(job, lease);
        if (!renewed) {
          refusedRenewals.incrementAndGet();
        }
        return renewed;
      } finally {
        onRenew.run();
      }
    }

    @Override
    public boolean complete(ClaimedJob job) {
      return real.complete(job);
    }

    @Override
    public boolean reschedule(ClaimedJob job, java.time.Instant runAt) {
      return real.reschedule(job, runAt);
    }

    @Override
    public Depth depth() {
      return real.depth();
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

  private static boolean await(CountDownLatch latch, int seconds) {
    try {
      return latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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
