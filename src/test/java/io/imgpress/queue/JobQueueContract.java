package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
