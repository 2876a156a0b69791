package io.imgpress.request.jdbc;

import io.imgpress.db.ConditionalOnSqlStore;
import io.imgpress.db.Dialect;
import io.imgpress.db.Timestamps;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobOutbox;
import io.imgpress.queue.JobQueue.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link JobOutbox} on the {@code job_outbox} table, whose rows the store's adapters write in the
 * transaction of the change that causes them. One row is one entry of one job. Taking leases rows
 * by {@code taken_until}; on PostgreSQL rows another relay is taking are skipped, not waited for.
 *
 * <p>The open work is read from the tables themselves, in three phases that the cursor names: the
 * staged requests, the final requests whose webhook is pending, then the unfinished images.
 */
@Repository
@ConditionalOnSqlStore
class JdbcJobOutbox implements JobOutbox {

  private static final String TAKEABLE =
      """
      select outbox_id, kind, ref, run_at, job_rank from job_outbox
      where taken_until <= ? order by outbox_id fetch first %d rows only for update""";

  private final JdbcClient jdbc;
  private final Dialect dialect;
  private final Clock clock;

  JdbcJobOutbox(JdbcClient jdbc, Dialect dialect, Clock clock) {
    this.jdbc = jdbc;
    this.dialect = dialect;
    this.clock = clock;
  }

  @Override
  @Transactional
  public List<Entry> take(int limit, Duration lease) {
    OffsetDateTime now = Timestamps.of(clock.instant());
    String sql = TAKEABLE.formatted(limit) + (dialect == Dialect.POSTGRESQL ? " skip locked" : "");
    List<Entry> entries =
        jdbc.sql(sql)
            .param(now)
            .query(
                (rs, row) ->
                    new Entry(
                        Long.toString(rs.getLong("outbox_id")),
                        List.of(
                            new Job(
                                JobKind.valueOf(rs.getString("kind")),
                                rs.getString("ref"),
                                Timestamps.read(rs, "run_at"),
                                rs.getLong("job_rank")))))
            .list();
    if (!entries.isEmpty()) {
      jdbc.sql("update job_outbox set taken_until = :until where outbox_id in (:ids)")
          .param("until", Timestamps.of(clock.instant().plus(lease)))
          .param("ids", ids(entries))
          .update();
    }
    return entries;
  }

  @Override
  public void relayed(List<Entry> entries) {
    if (!entries.isEmpty()) {
      jdbc.sql("delete from job_outbox where outbox_id in (:ids)")
          .param("ids", ids(entries))
          .update();
    }
  }

  private static List<Long> ids(List<Entry> entries) {
    return entries.stream().map(e -> Long.parseLong(e.id())).toList();
  }

  @Override
  public Page openWork(String cursor, int limit) {
    Cursor at = Cursor.parse(cursor);
    Instant now = clock.instant();
    return switch (at.phase()) {
      case 0 -> requestPage(at, limit, now, JobKind.INTAKE, STAGED);
      case 1 -> requestPage(at, limit, now, JobKind.WEBHOOK, WEBHOOK_PENDING);
      default -> imagePage(at, limit, now);
    };
  }

  private static final String STAGED =
      """
      select r.request_id from requests r join staged_uploads s on s.request_id = r.request_id
      where r.status in ('PENDING', 'PROCESSING') and r.request_id > ?
      order by r.request_id fetch first %d rows only""";

  private static final String WEBHOOK_PENDING =
      """
      select request_id from requests
      where status in ('COMPLETED', 'FAILED') and webhook_status = 'PENDING' and request_id > ?
      order by request_id fetch first %d rows only""";

  private Page requestPage(Cursor at, int limit, Instant now, JobKind kind, String sql) {
    List<String> ids = jdbc.sql(sql.formatted(limit)).param(at.after()).query(String.class).list();
    List<Job> jobs = ids.stream().map(id -> new Job(kind, id, now)).toList();
    Cursor next =
        ids.size() < limit ? new Cursor(at.phase() + 1, "") : new Cursor(at.phase(), ids.getLast());
    return new Page(jobs, next.toString());
  }

  private Page imagePage(Cursor at, int limit, Instant now) {
    record Open(long imageId, String requestId) {}
    List<Open> open =
        jdbc.sql(
                """
                select image_id, request_id from images
                where status in ('PENDING', 'PROCESSING') and image_id > ?
                order by image_id fetch first %d rows only"""
                    .formatted(limit))
            .param(at.after().isEmpty() ? 0L : Long.parseLong(at.after()))
            .query((rs, row) -> new Open(rs.getLong(1), rs.getString(2)))
            .list();
    if (open.isEmpty()) {
      return new Page(List.of(), null);
    }
    Map<String, Long> firstIds = new HashMap<>();
    jdbc.sql(
            "select request_id, min(image_id) from images where request_id in (:ids)"
                + " group by request_id")
        .param("ids", open.stream().map(Open::requestId).distinct().toList())
        .query((RowCallbackHandler) rs -> firstIds.put(rs.getString(1), rs.getLong(2)));
    List<Job> jobs = new ArrayList<>(open.size());
    for (Open o : open) {
      long rank = o.imageId() - firstIds.get(o.requestId());
      jobs.add(new Job(JobKind.IMAGE, Long.toString(o.imageId()), now, rank));
    }
    String next =
        open.size() < limit
            ? null
            : new Cursor(2, Long.toString(open.getLast().imageId())).toString();
    return new Page(jobs, next);
  }

  /** Where a reading of the open work stands: a phase and the last key read in it. */
  private record Cursor(int phase, String after) {
    static Cursor parse(String cursor) {
      if (cursor == null) {
        return new Cursor(0, "");
      }
      int colon = cursor.indexOf(':');
      return new Cursor(Integer.parseInt(cursor.substring(0, colon)), cursor.substring(colon + 1));
    }

    @Override
    public String toString() {
      return phase + ":" + after;
    }
  }
}
