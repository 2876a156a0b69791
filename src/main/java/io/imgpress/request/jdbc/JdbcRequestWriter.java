package io.imgpress.request.jdbc;

import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedRows;
import io.imgpress.request.StagedUpload;
import io.imgpress.request.WebhookStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts a new request with plain JDBC batches. Image ids come from the block reserved at upload;
 * product ids are generated and read back with one query: asking the driver for generated keys row
 * by row made a 10,000-row upload take seconds.
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
        insert into requests (request_id, owner, status, quality, output_format, max_width,
                              max_height, total_images, webhook_url, webhook_status, created_at,
                              updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        requestId,
        request.owner(),
        RequestStatus.PENDING.name(),
        request.output().quality(),
        request.output().format().name(),
        request.output().maxWidth(),
        request.output().maxHeight(),
        request.totalImages(),
        request.webhookUrl(),
        request.webhookUrl() == null ? null : WebhookStatus.PENDING.name(),
        now,
        now);
    jdbc.update(
        "insert into staged_uploads (request_id, rows_text, first_image_id) values (?, ?, ?)",
        requestId,
        StagedRows.encode(request.products()),
        reserveImageIds(request.totalImages()));
  }

  /**
   * Takes the next {@code count} image ids. The update locks the one counter row until the upload's
   * transaction ends, so concurrent uploads get disjoint blocks.
   */
  private long reserveImageIds(int count) {
    jdbc.update("update image_id_blocks set next_id = next_id + ?", count);
    Long next = jdbc.queryForObject("select next_id from image_id_blocks", Long.class);
    return next - count;
  }

  /** Expands staged rows; empty when another expansion already took them. */
  Optional<List<Long>> expand(UUID id, OffsetDateTime now) {
    String requestId = id.toString();
    List<StagedUpload> staged =
        jdbc.query(
            "select rows_text, first_image_id from staged_uploads where request_id = ?",
            (rs, row) -> readStaged(rs),
            requestId);
    if (staged.isEmpty()
        || jdbc.update("delete from staged_uploads where request_id = ?", requestId) == 0) {
      return Optional.empty();
    }
    // Nothing a watcher sees changes: the images keep their ids and stay pending.
    return Optional.of(insertProducts(requestId, staged.getFirst(), now));
  }

  static StagedUpload readStaged(ResultSet rs) throws SQLException {
    return new StagedUpload(
        rs.getLong("first_image_id"), StagedRows.decode(rs.getString("rows_text")));
  }

  private List<Long> insertProducts(String requestId, StagedUpload staged, OffsetDateTime now) {
    List<NewProduct> products = staged.products();
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
    record Row(long imageId, long productId, int position, String url) {}
    List<Row> rows = new ArrayList<>();
    long imageId = staged.firstImageId();
    for (int p = 0; p < productIds.size(); p++) {
      List<String> urls = products.get(p).inputUrls();
      for (int i = 0; i < urls.size(); i++) {
        rows.add(new Row(imageId++, productIds.get(p), i, urls.get(i)));
      }
    }
    jdbc.batchUpdate(
        "insert into images (image_id, product_id, request_id, position, input_url, status,"
            + " updated_at) values (?, ?, ?, ?, ?, 'PENDING', ?)",
        rows,
        BATCH,
        (ps, row) -> {
          ps.setLong(1, row.imageId());
          ps.setLong(2, row.productId());
          ps.setString(3, requestId);
          ps.setInt(4, row.position());
          ps.setString(5, row.url());
          ps.setObject(6, now);
        });
    return rows.stream().map(Row::imageId).toList();
  }
}
