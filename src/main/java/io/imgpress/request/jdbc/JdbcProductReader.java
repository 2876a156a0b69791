package io.imgpress.request.jdbc;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.Product;
import io.imgpress.request.Product.Image;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads a request's products and images in input order, each read with one query. */
final class JdbcProductReader {

  private final JdbcClient jdbc;

  JdbcProductReader(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<Product> products(UUID requestId) {
    return products(requestId, 0, Integer.MAX_VALUE);
  }

  /** Products at positions {@code [offset, offset + limit)}: a range of the position index. */
  List<Product> products(UUID requestId, int offset, int limit) {
    Map<Long, ProductRow> byId = new LinkedHashMap<>();
    jdbc.sql(
            """
            select p.product_id, p.serial_number, p.name, i.image_id, i.input_url, i.output_url,
                   i.preview_url, i.status, i.error, i.attempts, i.input_bytes, i.output_bytes, i.change_number,
                   i.output_quality
            from products p join images i on i.product_id = p.product_id
            where p.request_id = ? and p.position >= ? and p.position < ?
            order by p.position, i.position""")
        .params(requestId.toString(), offset, (long) offset + limit)
        .query(
            (ResultSet rs) -> {
              long productId = rs.getLong("product_id");
              ProductRow product = byId.get(productId);
              if (product == null) {
                product =
                    new ProductRow(
                        productId,
                        rs.getLong("serial_number"),
                        rs.getString("name"),
                        new ArrayList<>());
                byId.put(productId, product);
              }
              product.images().add(image(rs));
            });
    return byId.values().stream()
        .map(p -> new Product(p.id(), p.serial(), p.name(), List.copyOf(p.images())))
        .toList();
  }

  /** Reads the images_changes index range; image ids follow input order. */
  List<Image> imagesChanged(UUID requestId, long after, long upTo) {
    return jdbc.sql(
            """
            select i.image_id, i.input_url, i.output_url, i.preview_url, i.status, i.error,
                   i.attempts,
                   i.input_bytes, i.output_bytes, i.change_number, i.output_quality
            from images i
            where i.request_id = ? and i.change_number > ? and i.change_number <= ?
            order by i.image_id""")
        .params(requestId.toString(), after, upTo)
        .query((rs, row) -> image(rs))
        .list();
  }

  private static Image image(ResultSet rs) throws SQLException {
    return new Image(
        rs.getLong("image_id"),
        rs.getString("input_url"),
        rs.getString("output_url"),
        rs.getString("preview_url"),
        ImageStatus.valueOf(rs.getString("status")),
        rs.getString("error"),
        rs.getInt("attempts"),
        rs.getObject("input_bytes", Long.class),
        rs.getObject("output_bytes", Long.class),
        rs.getLong("change_number"),
        rs.getObject("output_quality", Integer.class));
  }

  private record ProductRow(long id, long serial, String name, List<Image> images) {}
}
