package io.imgpress.request.jdbc;

import io.imgpress.db.ConditionalOnSqlStore;
import io.imgpress.db.ErrorText;
import io.imgpress.db.Timestamps;
import io.imgpress.request.NewRequest;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.PendingDeletion;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedUpload;
import io.imgpress.request.WebhookStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** {@link RequestRepository} on plain JDBC; runs on H2 (embedded) and PostgreSQL. */
@Repository
@ConditionalOnSqlStore
class JdbcRequestRepository implements RequestRepository {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JdbcProductReader productReader;
  private final JdbcRequestWriter writer;
  private final JdbcOutboxWriter outbox;
  private final JdbcRequestDeletions deletions;

  JdbcRequestRepository(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.productReader = new JdbcProductReader(jdbc);
    this.writer = new JdbcRequestWriter(template);
    this.outbox = new JdbcOutboxWriter(template);
    this.deletions = new JdbcRequestDeletions(jdbc);
  }

  @Override
  @Transactional
  public void stage(NewRequest request) {
    OffsetDateTime now = Timestamps.of(clock.instant());
    writer.stage(request, now);
    outbox.intake(request.id().toString(), now);
  }

  @Override
  public Optional<StagedUpload> staged(UUID id) {
    return jdbc.sql("select rows_text, first_image_id from staged_uploads where request_id = ?")
        .param(id.toString())
        .query((rs, row) -> JdbcRequestWriter.readStaged(rs))
        .optional();
  }

  @Override
  @Transactional
  public Optional<List<Long>> expand(UUID id) {
    if (hasFailed(id)) {
      return Optional.empty();
    }
    OffsetDateTime now = Timestamps.of(clock.instant());
    Optional<List<Long>> expanded = writer.expand(id, now);
    expanded.ifPresent(ids -> outbox.images(ids, now));
    return expanded;
  }

  @Override
  @Transactional
  public boolean failStaged(UUID id, String reason) {
    OffsetDateTime now = Timestamps.of(clock.instant());
    boolean failed =
        jdbc.sql(
                    """
                update requests set status = 'FAILED', processed_images = total_images,
                       failed_images = total_images, error = ?, updated_at = ?
                where request_id = ? and status in ('PENDING', 'PROCESSING')
                  and exists (select 1 from staged_uploads s where s.request_id = ?)""")
                .params(ErrorText.fit(reason), now, id.toString(), id.toString())
                .update()
            == 1;
    if (failed) {
      outbox.webhooks(List.of(id.toString()), now);
    }
    return failed;
  }

  private boolean hasFailed(UUID id) {
    return jdbc.sql("select count(*) from requests where request_id = ? and status = 'FAILED'")
            .param(id.toString())
            .query(Integer.class)
            .single()
        > 0;
  }

  @Override
  public Optional<Request> find(UUID id) {
    return jdbc.sql("select * from requests where request_id = ?")
        .param(id.toString())
        .query(JdbcRequestRepository::mapRequest)
        .optional();
  }

  @Override
  public List<io.imgpress.request.Product> products(UUID id) {
    return productReader.products(id);
  }

  @Override
  public List<io.imgpress.request.Product> products(UUID id, int offset, int limit) {
    return productReader.products(id, offset, limit);
  }

  @Override
  public int productCount(UUID id) {
    return jdbc.sql("select count(*) from products where request_id = ?")
        .param(id.toString())
        .query(Integer.class)
        .single();
  }

  @Override
  public List<io.imgpress.request.Product.Image> imagesChanged(UUID id, long after, long upTo) {
    return productReader.imagesChanged(id, after, upTo);
  }

  @Override
  public List<Request> recent(int offset, int limit) {
    return jdbc.sql("select * from requests order by created_at desc, request_id limit ? offset ?")
        .params(limit, offset)
        .query(JdbcRequestRepository::mapRequest)
        .list();
  }

  /** One transaction: the rows and the outbox entries go together with the record's writing. */
  @Override
  @Transactional
  public boolean delete(UUID id, Instant dueAt) {
    return deletions.delete(id, clock.instant(), dueAt);
  }

  @Override
  public List<UUID> finishedBefore(Instant cutoff, int limit) {
    return deletions.finishedBefore(cutoff, limit);
  }

  @Override
  public List<PendingDeletion> deletionsDue(Instant now, int limit) {
    return deletions.due(now, limit);
  }

  @Override
  public Optional<PendingDeletion> deletion(UUID id) {
    return deletions.find(id);
  }

  @Override
  public void deletionDueAt(UUID id, Instant dueAt) {
    deletions.dueAt(id, dueAt);
  }

  @Override
  public void forgetDeletion(UUID id) {
    deletions.forget(id);
  }

  @Override
  public List<Request> recent(String owner, int offset, int limit) {
    return jdbc.sql(
            "select * from requests where owner = ? order by created_at desc, request_id"
                + " limit ? offset ?")
        .params(owner, limit, offset)
        .query(JdbcRequestRepository::mapRequest)
        .list();
  }

  @Override
  public int unfinished(String owner) {
    return jdbc.sql(
            "select count(*) from requests where owner = ? and status in ('PENDING', 'PROCESSING')")
        .param(owner)
        .query(Integer.class)
        .single();
  }

  @Override
  public long imagesSince(String owner, Instant since) {
    return jdbc.sql(
            "select coalesce(sum(total_images), 0) from requests where owner = ? and created_at >= ?")
        .params(owner, Timestamps.of(since))
        .query(Long.class)
        .single();
  }

  /** The output columns of a request row (also read joined to an image's row). */
  static Output output(ResultSet rs) throws SQLException {
    return new Output(
        OutputFormat.valueOf(rs.getString("output_format")),
        rs.getInt("quality"),
        rs.getInt("max_width"),
        rs.getInt("max_height"));
  }

  static Request mapRequest(ResultSet rs, int row) throws SQLException {
    String webhookUrl = rs.getString("webhook_url");
    Request.Webhook webhook =
        webhookUrl == null
            ? null
            : new Request.Webhook(
                webhookUrl,
                WebhookStatus.valueOf(rs.getString("webhook_status")),
                rs.getInt("webhook_attempts"),
                rs.getString("webhook_error"));
    return new Request(
        UUID.fromString(rs.getString("request_id")),
        RequestStatus.valueOf(rs.getString("status")),
        output(rs),
        rs.getInt("total_images"),
        rs.getInt("processed_images"),
        rs.getInt("failed_images"),
        webhook,
        Timestamps.read(rs, "created_at"),
        Timestamps.read(rs, "updated_at"),
        rs.getLong("change_number"),
        rs.getString("error"),
        rs.getString("owner"));
  }
}
