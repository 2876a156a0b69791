package io.imgpress.request.jdbc;

import io.imgpress.db.Timestamps;
import io.imgpress.request.PendingDeletion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The deletion side of {@link JdbcRequestRepository}: removing a request's rows and keeping the
 * {@code request_deletions} records. {@link #delete} runs inside the repository's transaction.
 */
final class JdbcRequestDeletions {

  private final JdbcClient jdbc;

  JdbcRequestDeletions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Locks the request row first, as every image transition does before it touches images, so a
   * deletion and a transition of the same request wait for each other instead of deadlocking.
   */
  boolean delete(UUID id, Instant now, Instant dueAt) {
    String requestId = id.toString();
    boolean exists =
        !jdbc.sql("select request_id from requests where request_id = ? for update")
            .param(requestId)
            .query(String.class)
            .list()
            .isEmpty();
    if (!exists) {
      return false;
    }
    if (jdbc.sql("update request_deletions set due_at = ? where request_id = ?")
            .params(Timestamps.of(dueAt), requestId)
            .update()
        == 0) {
      jdbc.sql("insert into request_deletions (request_id, deleted_at, due_at) values (?, ?, ?)")
          .params(requestId, Timestamps.of(now), Timestamps.of(dueAt))
          .update();
    }
    // Outbox entries not relayed yet: the request's own jobs name it, an image job its image.
    jdbc.sql("delete from job_outbox where kind <> 'IMAGE' and ref = ?").param(requestId).update();
    jdbc.sql(
            """
            delete from job_outbox where kind = 'IMAGE' and ref in
              (select cast(image_id as varchar(64)) from images where request_id = ?)""")
        .param(requestId)
        .update();
    jdbc.sql("delete from images where request_id = ?").param(requestId).update();
    jdbc.sql("delete from products where request_id = ?").param(requestId).update();
    jdbc.sql("delete from staged_uploads where request_id = ?").param(requestId).update();
    jdbc.sql("delete from requests where request_id = ?").param(requestId).update();
    return true;
  }

  List<UUID> finishedBefore(Instant cutoff, int limit) {
    return jdbc.sql(
            """
            select request_id from requests
            where status in ('COMPLETED', 'FAILED') and updated_at < ?
            order by updated_at, request_id fetch first %d rows only"""
                .formatted(limit))
        .param(Timestamps.of(cutoff))
        .query((rs, row) -> UUID.fromString(rs.getString(1)))
        .list();
  }

  List<PendingDeletion> due(Instant now, int limit) {
    return jdbc.sql(
            """
            select request_id, deleted_at from request_deletions where due_at <= ?
            order by due_at, request_id fetch first %d rows only"""
                .formatted(limit))
        .param(Timestamps.of(now))
        .query(
            (rs, row) ->
                new PendingDeletion(
                    UUID.fromString(rs.getString(1)), Timestamps.read(rs, "deleted_at")))
        .list();
  }

  Optional<PendingDeletion> find(UUID id) {
    return jdbc.sql("select request_id, deleted_at from request_deletions where request_id = ?")
        .param(id.toString())
        .query(
            (rs, row) ->
                new PendingDeletion(
                    UUID.fromString(rs.getString(1)), Timestamps.read(rs, "deleted_at")))
        .optional();
  }

  void dueAt(UUID id, Instant dueAt) {
    jdbc.sql("update request_deletions set due_at = ? where request_id = ?")
        .params(Timestamps.of(dueAt), id.toString())
        .update();
  }

  void forget(UUID id) {
    jdbc.sql("delete from request_deletions where request_id = ?").param(id.toString()).update();
  }
}
