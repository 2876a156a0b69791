package io.imgpress.request.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.Output;
import io.imgpress.request.Product;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V12 gives requests an output format and bounding box and images the quality they were encoded at:
 * a request stored before it reads back as what it was, a full-size JPEG of its quality, and its
 * completed images have no recorded quality.
 */
class RequestOutputMigrationTest {

  @Test
  void aRequestStoredBeforeV12IsAFullSizeJpegOfItsQuality() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:out" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    TestDatabase.flyway(ds, "h2").target("11").load().migrate();
    JdbcTemplate sql = new JdbcTemplate(ds);
    UUID id = UUID.randomUUID();
    sql.update(
        "insert into requests (request_id, status, quality, total_images, processed_images,"
            + " created_at, updated_at) values (?, 'COMPLETED', 70, 1, 1, current_timestamp,"
            + " current_timestamp)",
        id.toString());
    sql.update(
        "insert into products (request_id, position, serial_number, name) values (?, 0, 1, 'a')",
        id.toString());
    long productId = sql.queryForObject("select max(product_id) from products", Long.class);
    sql.update(
        "insert into images (product_id, request_id, position, input_url, output_url, status,"
            + " updated_at) values (?, ?, 0, 'http://x/1', '/images/x/1.jpg', 'COMPLETED',"
            + " current_timestamp)",
        productId,
        id.toString());

    TestDatabase.flyway(ds, "h2").load().migrate();

    var requests = new JdbcRequestRepository(JdbcClient.create(ds), sql, new MutableClock());
    assertThat(requests.find(id).orElseThrow().output()).isEqualTo(Output.jpeg(70));
    assertThat(requests.products(id).getFirst().images())
        .singleElement()
        .extracting(Product.Image::status, Product.Image::outputQuality)
        .containsExactly(ImageStatus.COMPLETED, null);
  }
}
