package io.imgpress.queue.jdbc;

import io.imgpress.db.BatchCounts;
import io.imgpress.db.Dialect;
import io.imgpress.db.Timestamps;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link JobQueue} in a table of the application's own database: the embedded default's durable
 * queue. Due, unleased jobs are flagged {@code ready} and claimed in the order of an index, so a
 * claim reads a handful of rows whether ten jobs wait or half a million; leased and waiting jobs
 * become ready again when their time ({@code visible_at}) comes. A claim takes a candidate with a
 * conditional update, so concurrent claimers (threads or processes) never get the same job, and
 * gives it a fresh lease token that later writes must present.
 *
 * <p>On PostgreSQL, which many processes share, claimers never wait for each other: candidates are
 * read {@code for update skip locked}, so a row another claimer is taking is passed over rather
 * than waited for, and due jobs are promoted a bounded batch at a time through the same skip. An
 * enqueue notifies ({@code pg_notify} on {@link #CHANNEL}, delivered when its transaction commits)
 * so that idle workers of every process wake up ({@link PostgresJobListener}).
 *
 * <p>Every call is one transaction, so one commit, whatever the number of jobs: a claim's leases
 * and a batch's renewals, completions or releases go as one JDBC batch each.
 */
@Component
@ConditionalOnProperty(name = "imgpress.queue", havingValue = "database", matchIfMissing = true)
public class JdbcJobQueue implements JobQueue {

  /**
   * The next ready jobs of one kind, in claim order: read from index {@code jobs_ready}. The order
   * names every column of that index although the first two are fixed by the filter: H2 reads an
   * index in place of sorting only when the order starts with the index's own columns, and would
   * otherwise sort every ready job of the kind on each claim.
   */
  static final String CANDIDATES =
      """
      select job_id, ref, deliveries from jobs
      where ready = 1 and priority = ?
      order by ready, priority, job_rank, job_id
      fetch first ? rows only""";

  /** Rows one claim promotes at most on PostgreSQL; the next claims take the rest. */
  private static final int PROMOTE_BATCH_ROWS = 1000;

  /** {@link #CANDIDATES} on PostgreSQL: rows another claimer has locked are passed over. */
  static final String CANDIDATES_SKIP_LOCKED = CANDIDATES + " for update skip locked";

  /** Waiting jobs whose time came: found through index {@code jobs_waiting}. */
  static final String PROMOTE_DUE =
      "update jobs set ready = 1, lease_token = null where ready = 0 and visible_at <= ?";

  /**
   * {@link #PROMOTE_DUE} on PostgreSQL, at most {@link #PROMOTE_BATCH_ROWS} rows and none another
   * transaction holds, so concurrent claimers never queue up behind one promotion (or behind a
   * renewal of a lease that is about to run out). The outer condition is checked again on the rows
   * as locked: a lease renewed meanwhile is not promoted.
   */
  static final String PROMOTE_DUE_SKIP_LOCKED =
      """
      update jobs set ready = 1, lease_token = null
      where job_id in (select job_id from jobs where ready = 0 and visible_at <= ?
                       order by visible_at fetch first %d rows only for update skip locked)
        and ready = 0 and visible_at <= ?"""
          .formatted(PROMOTE_BATCH_ROWS);

  /** The channel on which PostgreSQL enqueues announce their number of due jobs. */
  static final String CHANNEL = "imgpress_jobs";

  /** A lease taken from a ready candidate; the condition keeps racing claimers apart. */
  private static final String TAKE =
      """
      update jobs set ready = 0, visible_at = ?, lease_token = ?, deliveries = deliveries + 1
      where job_id = ? and ready = 1""";

  /** Rounds of candidates per kind, for claimers that lost races for the first ones. */
  private static final int ROUNDS = 5;

  /** Rows per JDBC batch. */
  private static final int BATCH = 500;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Dialect dialect;

  JdbcJobQueue(
      JdbcClient jdbc,
      JdbcTemplate template,
      TransactionTemplate tx,
      Clock clock,
      Dialect dialect) {
    this.jdbc = jdbc;
    this.template = template;
    this.tx = tx;
    this.clock = clock;
    this.dialect = dialect;
  }

  @Override
  public void enqueue(List<Job> jobs) {
    // One commit for the lot (an expanded upload's thousands of image jobs).
    tx.executeWithoutResult(s -> insert(jobs));
  }

  private void insert(List<Job> jobs) {
    Instant now = clock.instant();
    template.batchUpdate(
        """
        insert into jobs (kind, priority, ref, job_rank, ready, visible_at, created_at)
        values (?, ?, ?, ?, ?, ?, ?)""",
        jobs,
        1000,
        (ps, job) -> {
          ps.setString(1, job.kind().name());
          ps.setInt(2, job.kind().priority());
          ps.setString(3, job.ref());
          ps.setLong(4, job.rank());
          ps.setInt(5, job.runAt().isAfter(now) ? 0 : 1);
          ps.setObject(6, Timestamps.of(job.runAt()));
          ps.setObject(7, Timestamps.of(now));
        });
    long due = jobs.stream().filter(job -> !job.runAt().isAfter(now)).count();
    if (dialect == Dialect.POSTGRESQL && due > 0) {
      // The notification goes out when the transaction commits.
      jdbc.sql("select pg_notify(?, ?)")
          .params(CHANNEL, Long.toString(due))
          .query((rs, row) -> row)
          .list();
    }
  }

  /**
   * One transaction, so one commit however many jobs it takes: the promotion, then per kind the
   * leases of a batch of candidates taken in one JDBC batch. A candidate another claimer took first
   * is skipped, and a further round of candidates makes up for it.
   */
  @Override
  public List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease) {
    if (max <= 0) {
      return List.of();
    }
    return tx.execute(status -> claimInTransaction(kinds, max, lease));
  }

  private List<ClaimedJob> claimInTransaction(Set<JobKind> kinds, int max, Duration lease) {
    Instant now = clock.instant();
    promoteDue(now);
    OffsetDateTime until = Timestamps.of(now.plus(lease));
    List<ClaimedJob> claimed = new ArrayList<>();
    for (JobKind kind : kinds.stream().sorted(Comparator.comparing(JobKind::priority)).toList()) {
      for (int round = 0; round < ROUNDS && claimed.size() < max; round++) {
        List<Candidate> wanted = candidates(kind, max - claimed.size());
        if (wanted.isEmpty()) {
          break;
        }
        List<String> tokens = wanted.stream().map(c -> UUID.randomUUID().toString()).toList();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
          order.add(i);
        }
        int[][] counts =
            template.batchUpdate(
                TAKE,
                order,
                BATCH,
                (ps, i) -> {
                  ps.setObject(1, until);
                  ps.setString(2, tokens.get(i));
                  ps.setLong(3, wanted.get(i).id());
                });
        List<Boolean> taken = BatchCounts.changedOne(counts);
        int missed = 0;
        for (int i = 0; i < wanted.size(); i++) {
          Candidate c = wanted.get(i);
          if (taken.get(i)) {
            claimed.add(
                new ClaimedJob(c.id() + ":" + tokens.get(i), kind, c.ref(), c.deliveries() + 1));
          } else {
            missed++;
          }
        }
        if (missed == 0) {
          break; // enough, or no more ready jobs of this kind
        }
      }
      if (claimed.size() == max) {
        break;
      }
    }
    return claimed;
  }

  /** Jobs whose wait or lease is over become ready; a lease that ran out loses its token. */
  private void promoteDue(Instant now) {
    OffsetDateTime at = Timestamps.of(now);
    if (dialect == Dialect.POSTGRESQL) {
      jdbc.sql(PROMOTE_DUE_SKIP_LOCKED).params(at, at).update();
    } else {
      jdbc.sql(PROMOTE_DUE).param(at).update();
    }
  }

  private List<Candidate> candidates(JobKind kind, int count) {
    return jdbc.sql(dialect == Dialect.POSTGRESQL ? CANDIDATES_SKIP_LOCKED : CANDIDATES)
        .params(kind.priority(), count)
        .query(
            (rs, row) ->
                new Candidate(rs.getLong("job_id"), rs.getString("ref"), rs.getInt("deliveries")))
        .list();
  }

  private record Candidate(long id, String ref, int deliveries) {}

  @Override
  public boolean renew(ClaimedJob job, Duration lease) {
    return renewAll(List.of(job), lease).getFirst();
  }

  @Override
  public boolean complete(ClaimedJob job) {
    return completeAll(List.of(job)).getFirst();
  }

  @Override
  public boolean reschedule(ClaimedJob job, Instant runAt) {
    return rescheduleAll(List.of(new Reschedule(job, runAt))).getFirst();
  }

  @Override
  public List<Boolean> renewAll(List<ClaimedJob> jobs, Duration lease) {
    OffsetDateTime until = Timestamps.of(clock.instant().plus(lease));
    return held(
        jobs,
        j -> j,
        "update jobs set visible_at = ? where job_id = ? and lease_token = ? and ready = 0",
        (ps, j) -> ps.setObject(1, until));
  }

  @Override
  public List<Boolean> completeAll(List<ClaimedJob> jobs) {
    return held(jobs, j -> j, "delete from jobs where job_id = ? and lease_token = ?", null);
  }

  @Override
  public List<Boolean> rescheduleAll(List<Reschedule> jobs) {
    return held(
        jobs,
        Reschedule::job,
        """
        update jobs set visible_at = ?, deliveries = deliveries - ?, lease_token = null
        where job_id = ? and lease_token = ? and ready = 0""",
        (ps, r) -> {
          ps.setObject(1, Timestamps.of(r.runAt()));
          ps.setInt(2, r.untouched() ? 1 : 0);
        });
  }

  /**
   * Runs {@code sql} once per item as one JDBC batch in one transaction, in job id order so that
   * concurrent batches lock rows in the same order. The statement's last two parameters are the job
   * id and lease token; {@code first} sets the ones before them, if any.
   *
   * @return for each item, in order, whether its statement changed its row
   */
  private <T> List<Boolean> held(
      List<T> items,
      Function<T, ClaimedJob> jobOf,
      String sql,
      ParameterizedPreparedStatementSetter<T> first) {
    if (items.isEmpty()) {
      return List.of();
    }
    List<Lease> leases = items.stream().map(i -> Lease.of(jobOf.apply(i))).toList();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong(i -> leases.get(i).jobId()));
    int offset = (int) sql.chars().filter(c -> c == '?').count() - 2;
    List<Boolean> inJobOrder =
        tx.execute(
            status ->
                BatchCounts.changedOne(
                    template.batchUpdate(
                        sql,
                        order,
                        BATCH,
                        (ps, i) -> {
                          if (first != null) {
                            first.setValues(ps, items.get(i));
                          }
                          ps.setLong(offset + 1, leases.get(i).jobId());
                          ps.setString(offset + 2, leases.get(i).token());
                        })));
    Boolean[] held = new Boolean[items.size()];
    for (int k = 0; k < order.size(); k++) {
      held[order.get(k)] = inJobOrder.get(k);
    }
    return List.of(held);
  }

  /** One row read through the primary key's index, whatever the number of jobs. */
  @Override
  public void checkHealth() {
    jdbc.sql("select job_id from jobs order by job_id fetch first 1 rows only")
        .query(Long.class)
        .optional();
  }

  @Override
  public Depth depth() {
    return jdbc.sql("select count(*) as n, min(created_at) as oldest from jobs")
        .query((rs, row) -> new Depth(rs.getLong("n"), Timestamps.read(rs, "oldest")))
        .single();
  }

  /**
   * Releases every lease, for a database only this process uses (the embedded H2 file is locked to
   * one process): jobs a killed process held come back after a short wait that grows with their
   * deliveries, so a job that keeps killing the process does not go first every time.
   */
  int releaseAllLeases() {
    Instant now = clock.instant();
    List<long[]> held =
        jdbc.sql("select job_id, deliveries from jobs where lease_token is not null")
            .query((rs, row) -> new long[] {rs.getLong("job_id"), rs.getLong("deliveries")})
            .list();
    for (long[] job : held) {
      long wait = Math.min(60, 1L << Math.min(6, Math.max(0, job[1] - 1)));
      jdbc.sql("update jobs set lease_token = null, ready = 0, visible_at = ? where job_id = ?")
          .params(Timestamps.of(now.plusSeconds(wait)), job[0])
          .update();
    }
    return held.size();
  }

  /** The adapter's reading of an opaque handle: job id and lease token. */
  private record Lease(long jobId, String token) {
    static Lease of(ClaimedJob job) {
      int colon = job.handle().indexOf(':');
      return new Lease(
          Long.parseLong(job.handle().substring(0, colon)), job.handle().substring(colon + 1));
    }
  }
}
