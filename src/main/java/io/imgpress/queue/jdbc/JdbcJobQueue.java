package io.imgpress.queue.jdbc;

import io.imgpress.db.Timestamps;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link JobQueue} in a table of the application's own database: the embedded default's durable
 * queue, and a sound choice on PostgreSQL too. A claim picks a due candidate and takes it with a
 * conditional update, so concurrent claimers (threads or processes) never get the same job.
 */
@Component
public class JdbcJobQueue implements JobQueue {

  private static final int CANDIDATES = 8;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final Clock clock;
  private final String owner = UUID.randomUUID().toString();

  JdbcJobQueue(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.clock = clock;
  }

  @Override
  public void enqueue(List<Job> jobs) {
    OffsetDateTime now = Timestamps.of(clock.instant());
    template.batchUpdate(
        "insert into jobs (kind, priority, ref, run_at, created_at) values (?, ?, ?, ?, ?)",
        jobs,
        1000,
        (ps, job) -> {
          ps.setString(1, job.kind().name());
          ps.setInt(2, job.kind().priority());
          ps.setString(3, job.ref());
          ps.setObject(4, Timestamps.of(job.runAt()));
          ps.setObject(5, now);
        });
  }

  @Override
  public Optional<ClaimedJob> claim(Duration lease) {
    Instant now = clock.instant();
    List<ClaimedJob> candidates =
        jdbc.sql(
                """
                select job_id, kind, ref from jobs
                where run_at <= ? and (locked_until is null or locked_until < ?)
                order by priority, run_at, job_id
                fetch first ? rows only""")
            .params(Timestamps.of(now), Timestamps.of(now), CANDIDATES)
            .query(
                (rs, row) ->
                    new ClaimedJob(
                        rs.getLong("job_id"),
                        JobKind.valueOf(rs.getString("kind")),
                        rs.getString("ref")))
            .list();
    for (ClaimedJob candidate : candidates) {
      int taken =
          jdbc.sql(
                  """
                  update jobs set locked_until = ?, locked_by = ?
                  where job_id = ? and (locked_until is null or locked_until < ?)""")
              .params(Timestamps.of(now.plus(lease)), owner, candidate.id(), Timestamps.of(now))
              .update();
      if (taken == 1) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public void complete(ClaimedJob job) {
    jdbc.sql("delete from jobs where job_id = ?").param(job.id()).update();
  }

  @Override
  public void reschedule(ClaimedJob job, Instant runAt) {
    jdbc.sql("update jobs set run_at = ?, locked_until = null, locked_by = null where job_id = ?")
        .params(Timestamps.of(runAt), job.id())
        .update();
  }

  @Override
  public Depth depth() {
    return jdbc.sql("select count(*) as n, min(created_at) as oldest from jobs")
        .query((rs, row) -> new Depth(rs.getLong("n"), Timestamps.read(rs, "oldest")))
        .single();
  }

  /**
   * Releases every lease, for a database only this process uses (the embedded H2 file is locked to
   * one process): jobs a killed process held become claimable at once instead of after their lease.
   */
  int releaseAllLeases() {
    return jdbc.sql(
            "update jobs set locked_until = null, locked_by = null"
                + " where locked_until is not null")
        .update();
  }
}
