package io.imgpress.request.jdbc;

import io.imgpress.queue.JobKind;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the outbox rows of a state change, inside the transaction that makes the change: the store
 * side of {@link io.imgpress.queue.JobOutbox}.
 */
final class JdbcOutboxWriter {

  private static final int BATCH = 1000;

  /** Far in the past: a new row can be taken at once. */
  static final OffsetDateTime UNTAKEN = OffsetDateTime.parse("1970-01-01T00:00:00Z");

  private final JdbcTemplate jdbc;

  JdbcOutboxWriter(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The job that expands a staged request. */
  void intake(String requestId, OffsetDateTime now) {
    insert(List.of(new Row(JobKind.INTAKE, requestId, 0)), now);
  }

  /** One job per image, ranked by its position in the request. */
  void images(List<Long> imageIds, OffsetDateTime now) {
    List<Row> rows = new ArrayList<>(imageIds.size());
    for (int i = 0; i < imageIds.size(); i++) {
      rows.add(new Row(JobKind.IMAGE, Long.toString(imageIds.get(i)), i));
    }
    insert(rows, now);
  }

  /** The webhook job of each of these requests that has a webhook; call as they become final. */
  void webhooks(Collection<String> finishedRequestIds, OffsetDateTime now) {
    jdbc.batchUpdate(
        """
        insert into job_outbox (kind, ref, run_at, job_rank, taken_until)
        select 'WEBHOOK', request_id, ?, 0, ? from requests
        where request_id = ? and webhook_url is not null""",
        List.copyOf(finishedRequestIds),
        BATCH,
        (ps, requestId) -> {
          ps.setObject(1, now);
          ps.setObject(2, UNTAKEN);
          ps.setString(3, requestId);
        });
  }

  private void insert(List<Row> rows, OffsetDateTime now) {
    jdbc.batchUpdate(
        "insert into job_outbox (kind, ref, run_at, job_rank, taken_until) values (?, ?, ?, ?, ?)",
        rows,
        BATCH,
        (ps, row) -> {
          ps.setString(1, row.kind().name());
          ps.setString(2, row.ref());
          ps.setObject(3, now);
          ps.setLong(4, row.rank());
          ps.setObject(5, UNTAKEN);
        });
  }

  private record Row(JobKind kind, String ref, long rank) {}
}
