package io.imgpress.queue.jdbc;

import io.imgpress.db.Timestamps;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link JobQueue} in a table of the application's own database: the embedded default's durable
 * queue. Due, unleased jobs are flagged {@code ready} and claimed in the order of an index, so a
 * claim reads a handful of rows whether ten jobs wait or half a million; leased and waiting jobs
 * become ready again when their time ({@code visible_at}) comes. A claim takes a candidate with a
 * conditional update, so concurrent claimers (threads or processes) never get the same job, and
 * gives it a fresh lease token that later writes must present.
 */
@Component
public class JdbcJobQueue implements JobQueue {

  /** Candidates read beyond what was asked, for claimers racing for the same rows. */
  private static final int SPARE = 4;

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

  /** Waiting jobs whose time came: found through index {@code jobs_waiting}. */
  static final String PROMOTE_DUE =
      "update jobs set ready = 1, lease_token = null where ready = 0 and visible_at <= ?";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final Clock clock;

  JdbcJobQueue(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.clock = clock;
  }

  @Override
  public void enqueue(List<Job> jobs) {
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
  }

  @Override
  public List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease) {
    Instant now = clock.instant();
    promoteDue(now);
    List<ClaimedJob> claimed = new ArrayList<>();
    for (JobKind kind : kinds.stream().sorted(Comparator.comparing(JobKind::priority)).toList()) {
      for (Candidate candidate : candidates(kind, max - claimed.size() + SPARE)) {
        if (claimed.size() == max) {
          return claimed;
        }
        String token = UUID.randomUUID().toString();
        int taken =
            jdbc.sql(
                    """
                    update jobs set ready = 0, visible_at = ?, lease_token = ?,
                                    deliveries = deliveries + 1
                    where job_id = ? and ready = 1""")
                .params(Timestamps.of(now.plus(lease)), token, candidate.id())
                .update();
        if (taken == 1) {
          claimed.add(
              new ClaimedJob(
                  candidate.id() + ":" + token, kind, candidate.ref(), candidate.deliveries() + 1));
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
    jdbc.sql(PROMOTE_DUE).param(Timestamps.of(now)).update();
  }

  private List<Candidate> candidates(JobKind kind, int count) {
    return jdbc.sql(CANDIDATES)
        .params(kind.priority(), count)
        .query(
            (rs, row) ->
                new Candidate(rs.getLong("job_id"), rs.getString("ref"), rs.getInt("deliveries")))
        .list();
  }

  private record Candidate(long id, String ref, int deliveries) {}

  @Override
  public boolean renew(ClaimedJob job, Duration lease) {
    Lease held = Lease.of(job);
    return jdbc.sql(
                "update jobs set visible_at = ? where job_id = ? and lease_token = ? and ready = 0")
            .params(Timestamps.of(clock.instant().plus(lease)), held.jobId(), held.token())
            .update()
        == 1;
  }

  @Override
  public boolean complete(ClaimedJob job) {
    Lease held = Lease.of(job);
    return jdbc.sql("delete from jobs where job_id = ? and lease_token = ?")
            .params(held.jobId(), held.token())
            .update()
        == 1;
  }

  @Override
  public boolean reschedule(ClaimedJob job, Instant runAt) {
    Lease held = Lease.of(job);
    return jdbc.sql(
                """
                update jobs set visible_at = ?, lease_token = null
                where job_id = ? and lease_token = ? and ready = 0""")
            .params(Timestamps.of(runAt), held.jobId(), held.token())
            .update()
        == 1;
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
