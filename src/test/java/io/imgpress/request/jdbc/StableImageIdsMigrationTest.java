package io.imgpress.request.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.StagedRows;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upgrading a database with uploads still staged: they get id blocks of their own, after every
 * existing image, and keep them through expansion; new uploads come after them.
 */
class StableImageIdsMigrationTest {

  @Test
  void uploadsStagedBeforeTheUpgradeGetDisjointBlocksAfterExistingImages() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:m" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    TestDatabase.flyway(ds, "h2").target(lastVersionBefore6(ds)).load().migrate();
    JdbcTemplate sql = new JdbcTemplate(ds);
    String expanded = UUID.randomUUID().toString();
    insertRequest(sql, expanded, 2);
    sql.update(
        "insert into products (request_id, position, serial_number, name) values (?, 0, 1, 'a')",
        expanded);
    long productId = sql.queryForObject("select max(product_id) from products", Long.class);
    for (int i = 0; i < 2; i++) {
      sql.update(
          "insert into images (product_id, request_id, position, input_url, status, updated_at)"
              + " values (?, ?, ?, 'http://x/1', 'PENDING', current_timestamp)",
          productId,
          expanded,
          i);
    }
    long maxExisting = sql.queryForObject("select max(image_id) from images", Long.class);
    UUID stagedA = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    UUID stagedB = UUID.fromString("00000000-0000-4000-8000-00000000000b");
    stageOld(sql, stagedA, List.of(new NewProduct(1, "A", List.of("http://x/1", "http://x/2"))));
    stageOld(
        sql,
        stagedB,
        List.of(new NewProduct(1, "B", List.of("http://x/3", "http://x/4", "http://x/5"))));

    TestDatabase.flyway(ds, "h2").load().migrate();

    RequestRepository requests =
        new JdbcRequestRepository(JdbcClient.create(ds), sql, new MutableClock());
    long a = requests.staged(stagedA).orElseThrow().firstImageId();
    long b = requests.staged(stagedB).orElseThrow().firstImageId();
    assertThat(a).isEqualTo(maxExisting + 1);
    assertThat(b).isEqualTo(a + 2);
    assertThat(requests.expand(stagedB).orElseThrow()).containsExactly(b, b + 1, b + 2);
    assertThat(requests.products(stagedB).getFirst().images())
        .extracting(Product.Image::imageId)
        .containsExactly(b, b + 1, b + 2);
    long next = sql.queryForObject("select next_id from image_id_blocks", Long.class);
    assertThat(next).isEqualTo(b + 3);
  }

  /** The newest migration before V6 (other branches may add V3 to V5). */
  private static MigrationVersion lastVersionBefore6(JdbcDataSource ds) {
    MigrationVersion six = MigrationVersion.fromVersion("6");
    return Arrays.stream(TestDatabase.flyway(ds, "h2").load().info().all())
        .map(MigrationInfo::getVersion)
        .filter(v -> v.compareTo(six) < 0)
        .max(MigrationVersion::compareTo)
        .orElseThrow();
  }

  private static void insertRequest(JdbcTemplate sql, String id, int images) {
    sql.update(
        "insert into requests (request_id, status, quality, total_images, created_at, updated_at)"
            + " values (?, 'PENDING', 50, ?, current_timestamp, current_timestamp)",
        id,
        images);
  }

  private static void stageOld(JdbcTemplate sql, UUID id, List<NewProduct> products) {
    insertRequest(sql, id.toString(), products.stream().mapToInt(p -> p.inputUrls().size()).sum());
    sql.update(
        "insert into staged_uploads (request_id, rows_text) values (?, ?)",
        id.toString(),
        StagedRows.encode(products));
  }
}
