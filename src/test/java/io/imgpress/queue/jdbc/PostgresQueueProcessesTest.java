package io.imgpress.queue.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.imgpress.db.Dialect;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several processes on one PostgreSQL database, each with a pool of its own: a claimer never gets a
 * job another process holds, never waits for another's locks, and the work of a process that died
 * comes back only when its leases run out.
 */
class PostgresQueueProcessesTest {

  static final Duration LEASE = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock();
  final String url = TestDatabase.emptyPostgres();
  final List<HikariDataSource> pools = new ArrayList<>();

  /** One process's queue: its own pool on the shared database. */
  JdbcJobQueue process() {
    HikariDataSource pool = TestDatabase.pool(url, 4);
    pools.add(pool);
    if (pools.size() == 1) {
      TestDatabase.flyway(pool, "postgresql").load().migrate();
    }
    return JdbcQueues.queue(pool, clock, Dialect.POSTGRESQL);
  }

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  @Test
  void processesClaimingAtOnceNeverShareAJob() throws Exception {
    List<JdbcJobQueue> processes = List.of(process(), process(), process(), process());
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      jobs.add(new Job(JobKind.IMAGE, Integer.toString(i), clock.instant()));
    }
    processes.getFirst().enqueue(jobs);

    ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> claimers = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(processes.size());
    for (JdbcJobQueue queue : processes) {
      claimers.add(
          CompletableFuture.runAsync(
              () -> {
                for (List<ClaimedJob> batch = claim(queue, 7);
                    !batch.isEmpty();
                    batch = claim(queue, 7)) {
                  batch.forEach(job -> claimed.add(job.ref()));
                }
              },
              threads));
    }
    CompletableFuture.allOf(claimers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    threads.shutdown();

    assertThat(claimed).hasSize(400);
    assertThat(new HashSet<>(claimed)).hasSize(400);
  }

  @Test
  void aClaimPassesOverJobsAnotherTransactionHoldsInsteadOfWaiting() throws Exception {
    JdbcJobQueue queue = process();
    queue.enqueue(
        List.of(
            new Job(JobKind.IMAGE, "held", clock.instant(), 0),
            new Job(JobKind.IMAGE, "free", clock.instant(), 1),
            new Job(JobKind.IMAGE, "due-later", clock.instant().plusSeconds(10), 2)));
    clock.advance(Duration.ofSeconds(11));
    try (Connection other = pools.getFirst().getConnection();
        Statement sql = other.createStatement()) {
      other.setAutoCommit(false);
      // another process's transaction that holds a ready job and a waiting one that fell due
      sql.executeQuery("select * from jobs where ref in ('held', 'due-later') for update").close();

      List<ClaimedJob> claimed =
          CompletableFuture.supplyAsync(() -> claim(queue, 10)).get(10, TimeUnit.SECONDS);

      assertThat(claimed).extracting(ClaimedJob::ref).containsExactly("free");
      other.rollback();
    }
    assertThat(claim(queue, 10)).extracting(ClaimedJob::ref).containsExactly("held", "due-later");
  }

  @Test
  void theJobsOfADeadProcessComeBackOnlyWhenTheirLeasesRunOut() {
    JdbcJobQueue dead = process();
    JdbcJobQueue alive = process();
    dead.enqueue(List.of(new Job(JobKind.IMAGE, "1", clock.instant())));
    ClaimedJob lost = dead.claim(LEASE).orElseThrow();
    pools.getFirst().close(); // the process dies, its lease stays

    clock.advance(LEASE.minusSeconds(1));
    assertThat(alive.claim(LEASE)).as("still leased").isEmpty();
    clock.advance(Duration.ofSeconds(2));
    ClaimedJob again = alive.claim(LEASE).orElseThrow();
    assertThat(again.ref()).isEqualTo("1");
    assertThat(again.deliveries()).isEqualTo(2);
    assertThat(again.handle()).isNotEqualTo(lost.handle());
    assertThat(alive.complete(lost)).as("the dead lease is fenced off").isFalse();
    assertThat(alive.complete(again)).isTrue();
  }

  private static List<ClaimedJob> claim(JdbcJobQueue queue, int max) {
    return queue.claim(EnumSet.allOf(JobKind.class), max, LEASE);
  }
}
