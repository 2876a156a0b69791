package io.imgpress.request.jdbc;

import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedRows;
import io.imgpress.request.WebhookStatus;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts a new request with plain JDBC batches and reads the generated ids back with one query per
 * table: asking the driver for generated keys row by row made a 10,000-row upload take seconds.
 */
final class JdbcRequestWriter {

  private static final int BATCH = 1000;

  private final JdbcTemplate jdbc;

  JdbcRequestWriter(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void stage(NewRequest request, OffsetDateTime now) {
    String requestId = request.id().toString();
    jdbc.update(
        """
        insert into requests (request_id, status, quality, total_images, webhook_url,
                              webhook_status, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?)""",
        requestId,
        RequestStatus.PENDING.name(),
        request.quality(),
        request.totalImages(),
        request.webhookUrl(),
        request.webhookUrl() == null ? null : WebhookStatus.PENDING.name(),
        now,
        now);
    jdbc.update(
        "insert into staged_uploads (request_id, rows_text) values (?, ?)",
        requestId,
        StagedRows.encode(request.products()));
  }

  /** Expands staged rows; empty when another expansion already took them. */
  Optional<List<Long>> expand(UUID id, OffsetDateTime now) {
    String requestId = id.toString();
    List<String> staged =
        jdbc.queryForList(
            "select rows_text from staged_uploads where request_id = ?", String.class, requestId);
    if (staged.isEmpty()
        || jdbc.update("delete from staged_uploads where request_id = ?", requestId) == 0) {
      return Optional.empty();
    }
    // The status document changes shape (image ids appear), so watchers should see a change.
    jdbc.update("update requests set updated_at = ? where request_id = ?", now, requestId);
    return Optional.of(insertProducts(requestId, StagedRows.decode(staged.getFirst()), now));
  }

  private List<Long> insertProducts(
      String requestId, List<NewProduct> products, OffsetDateTime now) {
    List<Integer> positions = new ArrayList<>(products.size());
    for (int i = 0; i < products.size(); i++) {
      positions.add(i);
    }
    jdbc.batchUpdate(
        "insert into products (request_id, position, serial_number, name) values (?, ?, ?, ?)",
        positions,
        BATCH,
        (ps, i) -> {
          ps.setString(1, requestId);
          ps.setInt(2, i);
          ps.setLong(3, products.get(i).serialNumber());
          ps.setString(4, products.get(i).name());
        });
    List<Long> productIds =
        jdbc.queryForList(
            "select product_id from products where request_id = ? order by position",
            Long.class,
            requestId);
    record Row(long productId, int position, String url) {}
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < productIds.size(); p++) {
      List<String> urls = products.get(p).inputUrls();
      for (int i = 0; i < urls.size(); i++) {
        rows.add(new Row(productIds.get(p), i, urls.get(i)));
      }
    }
    jdbc.batchUpdate(
        "insert into images (product_id, request_id, position, input_url, status, updated_at)"
            + " values (?, ?, ?, ?, 'PENDING', ?)",
        rows,
        BATCH,
        (ps, row) -> {
          ps.setLong(1, row.productId());
          ps.setString(2, requestId);
          ps.setInt(3, row.position());
          ps.setString(4, row.url());
          ps.setObject(5, now);
        });
    return jdbc.queryForList(
        """
        select i.image_id from images i join products p on p.product_id = i.product_id
        where i.request_id = ? order by p.position, i.position""",
        Long.class,
        requestId);
  }
}
