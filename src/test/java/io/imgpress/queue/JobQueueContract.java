package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.queue.JobQueue.Reschedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobQueue} adapter must do; each adapter's test extends this. Time is controlled
 * through {@link #advance}.
 */
public abstract class JobQueueContract {

  protected abstract JobQueue queue();

  /** The queue's notion of now. */
  protected abstract Instant now();

  protected abstract void advance(Duration duration);

  static final Duration LEASE = Duration.ofMinutes(5);

  @Test
  void claimsDueJobsOnceInOrder() {
    queue().enqueue(List.of(job("1"), job("2")));
    ClaimedJob first = queue().claim(LEASE).orElseThrow();
    ClaimedJob second = queue().claim(LEASE).orElseThrow();
    assertThat(List.of(first.ref(), second.ref())).containsExactly("1", "2");
    assertThat(first.kind()).isEqualTo(JobKind.IMAGE);
    assertThat(queue().claim(LEASE)).isEmpty();
  }

  @Test
  void handsOutIntakeAndWebhookJobsBeforeQueuedImages() {
    queue().enqueue(List.of(job("image")));
    advance(Duration.ofSeconds(5));
    queue().enqueue(List.of(new Job(JobKind.WEBHOOK, "hook", now())));
    queue().enqueue(List.of(new Job(JobKind.INTAKE, "intake", now())));
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("intake");
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("hook");
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("image");
  }

  @Test
  void doesNotHandOutJobsBeforeTheirTime() {
    queue().enqueue(List.of(new Job(JobKind.WEBHOOK, "later", now().plusSeconds(60))));
    assertThat(queue().claim(LEASE)).isEmpty();
    advance(Duration.ofSeconds(61));
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("later");
  }

  @Test
  void completedJobsAreGone() {
    queue().enqueue(List.of(job("1")));
    ClaimedJob claimed = queue().claim(LEASE).orElseThrow();
    queue().complete(claimed);
    advance(LEASE.plusSeconds(1));
    assertThat(queue().claim(LEASE)).isEmpty();
    assertThat(queue().depth().jobs()).isZero();
  }

  @Test
  void rescheduledJobsComeBackWhenDue() {
    queue().enqueue(List.of(job("1")));
    ClaimedJob claimed = queue().claim(LEASE).orElseThrow();
    queue().reschedule(claimed, now().plusSeconds(10));
    assertThat(queue().claim(LEASE)).isEmpty();
    advance(Duration.ofSeconds(11));
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("1");
  }

  @Test
  void jobsOfADeadWorkerAreHandedOutAgainAfterTheLease() {
    queue().enqueue(List.of(job("1")));
    queue().claim(LEASE).orElseThrow();
    assertThat(queue().claim(LEASE)).isEmpty();
    advance(LEASE.plusSeconds(1));
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("1");
  }

  @Test
  void depthCountsUnfinishedJobs() {
    assertThat(queue().depth().jobs()).isZero();
    assertThat(queue().depth().oldestEnqueued()).isNull();
    queue().enqueue(List.of(job("1"), job("2"), job("3")));
    assertThat(queue().depth().jobs()).isEqualTo(3);
    assertThat(queue().depth().oldestEnqueued()).isNotNull();
  }

  @Test
  void checkHealthAnswersOnAnEmptyAndOnAFilledQueue() {
    queue().checkHealth();
    queue().enqueue(List.of(job("1"), job("2")));
    queue().checkHealth();
    assertThat(queue().depth().jobs())
        .as("a health check leaves the jobs as they were")
        .isEqualTo(2);
  }

  @Test
  void concurrentClaimersNeverShareAJob() throws Exception {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      jobs.add(job(Integer.toString(i)));
    }
    queue().enqueue(jobs);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(this::drain));
      }
      for (Future<List<String>> result : results) {
        for (String ref : result.get()) {
          if (!seen.add(ref)) {
            duplicates.add(ref);
          }
        }
      }
    }
    assertThat(duplicates).isEmpty();
    assertThat(new HashSet<>(seen)).hasSize(200);
  }

  @Test
  void aLostLeaseCanNeitherCompleteNorRescheduleNorRenew() {
    queue().enqueue(List.of(job("1")));
    ClaimedJob first = queue().claim(LEASE).orElseThrow();
    advance(LEASE.plusSeconds(1));
    ClaimedJob second = queue().claim(LEASE).orElseThrow();
    assertThat(second.ref()).isEqualTo("1");
    assertThat(queue().complete(first)).isFalse();
    assertThat(queue().reschedule(first, now())).isFalse();
    assertThat(queue().renew(first, LEASE)).isFalse();
    assertThat(queue().depth().jobs()).as("the late holder removed nothing").isEqualTo(1);
    assertThat(queue().claim(LEASE)).as("nor released the new holder's lease").isEmpty();
    assertThat(queue().complete(second)).isTrue();
    assertThat(queue().depth().jobs()).isZero();
  }

  @Test
  void completingOrReschedulingTwiceSucceedsOnce() {
    queue().enqueue(List.of(job("1"), job("2")));
    ClaimedJob one = queue().claim(LEASE).orElseThrow();
    ClaimedJob two = queue().claim(LEASE).orElseThrow();
    assertThat(queue().complete(one)).isTrue();
    assertThat(queue().complete(one)).isFalse();
    assertThat(queue().reschedule(two, now().plusSeconds(5))).isTrue();
    assertThat(queue().reschedule(two, now())).isFalse();
    assertThat(queue().complete(two)).isFalse();
  }

  @Test
  void rescheduleReleasesAHeldJobAtOnceAndRefusesOnceTheLeaseIsGone() {
    queue().enqueue(List.of(job("1")));
    ClaimedJob held = queue().claim(LEASE).orElseThrow();
    assertThat(queue().reschedule(held, now())).isTrue();
    assertThat(queue().claim(LEASE)).as("released at once").isPresent();
    assertThat(queue().reschedule(held, now())).isFalse();
  }

  @Test
  void aRenewedLeaseOutlivesItsFirstTerm() {
    queue().enqueue(List.of(job("1")));
    ClaimedJob held = queue().claim(LEASE).orElseThrow();
    advance(LEASE.minusSeconds(10));
    assertThat(queue().renew(held, LEASE)).isTrue();
    advance(Duration.ofSeconds(20));
    assertThat(queue().claim(LEASE)).as("still leased after the first term").isEmpty();
    assertThat(queue().complete(held)).isTrue();
  }

  @Test
  void deliveriesCountEveryHandOut() {
    queue().enqueue(List.of(job("1")));
    assertThat(queue().claim(LEASE).orElseThrow().deliveries()).isEqualTo(1);
    advance(LEASE.plusSeconds(1));
    ClaimedJob again = queue().claim(LEASE).orElseThrow();
    assertThat(again.deliveries()).isEqualTo(2);
    queue().reschedule(again, now());
    assertThat(queue().claim(LEASE).orElseThrow().deliveries()).isEqualTo(3);
  }

  @Test
  void aJobSetAsideUntouchedDoesNotCountThatHandOut() {
    queue().enqueue(List.of(job("1")));
    ClaimedJob first = queue().claim(LEASE).orElseThrow();
    assertThat(queue().rescheduleAll(List.of(new Reschedule(first, now(), true))))
        .containsExactly(true);
    ClaimedJob second = queue().claim(LEASE).orElseThrow();
    assertThat(second.deliveries()).isEqualTo(1);
    queue().rescheduleAll(List.of(new Reschedule(second, now(), false)));
    assertThat(queue().claim(LEASE).orElseThrow().deliveries()).isEqualTo(2);
  }

  @Test
  void claimsOnlyTheKindsAskedFor() {
    queue().enqueue(List.of(job("image"), new Job(JobKind.WEBHOOK, "hook", now())));
    assertThat(queue().claim(Set.of(JobKind.INTAKE, JobKind.IMAGE), 10, LEASE))
        .extracting(ClaimedJob::ref)
        .containsExactly("image");
    assertThat(queue().claim(Set.of(JobKind.WEBHOOK), 10, LEASE))
        .extracting(ClaimedJob::ref)
        .containsExactly("hook");
  }

  @Test
  void claimsInBatchesUpToTheMaximum() {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(job(Integer.toString(i)));
    }
    queue().enqueue(jobs);
    List<ClaimedJob> batch = queue().claim(EnumSet.allOf(JobKind.class), 3, LEASE);
    assertThat(batch).extracting(ClaimedJob::ref).containsExactly("0", "1", "2");
    assertThat(queue().claim(EnumSet.allOf(JobKind.class), 3, LEASE))
        .extracting(ClaimedJob::ref)
        .containsExactly("3", "4");
  }

  @Test
  void requestsRankedByPositionTakeTurns() {
    List<Job> big = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      big.add(new Job(JobKind.IMAGE, "big-" + i, now(), i));
    }
    queue().enqueue(big);
    advance(Duration.ofSeconds(1));
    queue()
        .enqueue(
            List.of(
                new Job(JobKind.IMAGE, "small-0", now(), 0),
                new Job(JobKind.IMAGE, "small-1", now(), 1)));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(queue().claim(LEASE).orElseThrow().ref());
    }
    assertThat(order).containsExactly("big-0", "small-0", "big-1", "small-1");
  }

  @Test
  void aRescheduledJobWaitsEvenWithAHighRank() {
    queue().enqueue(List.of(new Job(JobKind.IMAGE, "a", now(), 0)));
    ClaimedJob a = queue().claim(LEASE).orElseThrow();
    queue().reschedule(a, now().plusSeconds(30));
    queue().enqueue(List.of(new Job(JobKind.IMAGE, "b", now(), 5)));
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("b");
    assertThat(queue().claim(LEASE)).isEmpty();
    advance(Duration.ofSeconds(31));
    assertThat(queue().claim(LEASE).orElseThrow().ref()).isEqualTo("a");
  }

  @Test
  void claimsManyDistinctJobsAtOnce() {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      jobs.add(job(Integer.toString(i)));
    }
    queue().enqueue(jobs);
    List<ClaimedJob> first = queue().claim(EnumSet.allOf(JobKind.class), 64, LEASE);
    List<ClaimedJob> rest = queue().claim(EnumSet.allOf(JobKind.class), 64, LEASE);
    assertThat(first).hasSize(64);
    assertThat(first.getFirst().ref()).isEqualTo("0");
    assertThat(first.getLast().ref()).isEqualTo("63");
    assertThat(rest).hasSize(36);
    List<ClaimedJob> all = new ArrayList<>(first);
    all.addAll(rest);
    assertThat(all).extracting(ClaimedJob::ref).doesNotHaveDuplicates();
    assertThat(all).extracting(ClaimedJob::handle).doesNotHaveDuplicates();
    assertThat(all).extracting(ClaimedJob::deliveries).containsOnly(1);
    assertThat(queue().claim(EnumSet.allOf(JobKind.class), 64, LEASE)).isEmpty();
    assertThat(queue().completeAll(all)).hasSize(100).containsOnly(true);
    assertThat(queue().depth().jobs()).isZero();
  }

  @Test
  void concurrentBatchClaimersNeverShareAJob() throws Exception {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      jobs.add(job(Integer.toString(i)));
    }
    queue().enqueue(jobs);
    List<String> all = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> drainInBatches(50)));
      }
      for (Future<List<String>> result : results) {
        all.addAll(result.get());
      }
    }
    assertThat(all).doesNotHaveDuplicates().hasSize(1000);
  }

  @Test
  void batchWritesAnswerFalseJustForTheLostLease() {
    queue().enqueue(List.of(job("a"), job("b"), job("c")));
    List<ClaimedJob> held = queue().claim(EnumSet.allOf(JobKind.class), 3, LEASE);
    ClaimedJob a = held.get(0);
    ClaimedJob b = held.get(1);
    ClaimedJob c = held.get(2);
    advance(LEASE.minusSeconds(10));
    // b's lease is lost: released and handed to someone else.
    queue().reschedule(b, now());
    ClaimedJob b2 = queue().claim(LEASE).orElseThrow();
    assertThat(b2.ref()).isEqualTo("b");

    assertThat(queue().renewAll(List.of(a, b, c), LEASE)).containsExactly(true, false, true);
    advance(Duration.ofSeconds(20));
    assertThat(queue().claim(LEASE)).as("a and c renewed, b2 still held").isEmpty();

    assertThat(
            queue()
                .rescheduleAll(
                    List.of(
                        new JobQueue.Reschedule(a, now().plusSeconds(10)),
                        new JobQueue.Reschedule(b, now()),
                        new JobQueue.Reschedule(c, now().plusSeconds(10)))))
        .containsExactly(true, false, true);
    assertThat(queue().claim(LEASE)).as("b2 was not released").isEmpty();
    advance(Duration.ofSeconds(11));
    List<ClaimedJob> again = queue().claim(EnumSet.allOf(JobKind.class), 10, LEASE);
    assertThat(again).extracting(ClaimedJob::ref).containsExactly("a", "c");

    assertThat(queue().completeAll(List.of(again.get(0), b, again.get(1))))
        .containsExactly(true, false, true);
    assertThat(queue().depth().jobs()).as("only b2's job is left").isEqualTo(1);
    assertThat(queue().completeAll(List.of(b2))).containsExactly(true);
    assertThat(queue().depth().jobs()).isZero();
    assertThat(queue().completeAll(List.of())).isEmpty();
  }

  private List<String> drainInBatches(int max) {
    List<String> refs = new ArrayList<>();
    int misses = 0;
    while (misses < 20) {
      List<ClaimedJob> claimed = queue().claim(EnumSet.allOf(JobKind.class), max, LEASE);
      claimed.forEach(job -> refs.add(job.ref()));
      misses = claimed.isEmpty() ? misses + 1 : 0;
    }
    return refs;
  }

  private List<String> drain() {
    List<String> refs = new ArrayList<>();
    int misses = 0;
    while (misses < 20) {
      Optional<ClaimedJob> claimed = queue().claim(LEASE);
      if (claimed.isPresent()) {
        refs.add(claimed.get().ref());
        misses = 0;
      } else {
        misses++;
      }
    }
    return refs;
  }

  private Job job(String ref) {
    return new Job(JobKind.IMAGE, ref, now());
  }
}
