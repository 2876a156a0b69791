package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.S3ProxyServer;
import io.imgpress.support.TestDatabase;
import java.net.URI;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** {@link MultiProcessScenario} on PostgreSQL (store and queue) and an S3 bucket (S3Proxy). */
class MultiProcessIT extends MultiProcessScenario {

  S3ProxyServer s3;
  String bucket;
  JdbcClient db;

  @Override
  List<String> backends() throws Exception {
    String databaseUrl = TestDatabase.emptyPostgres();
    db =
        JdbcClient.create(
            new SingleConnectionDataSource(
                DriverManager.getConnection(databaseUrl, TestDatabase.user(), ""), true));
    s3 = S3ProxyServer.shared();
    bucket = s3.createBucket();
    return List.of(
        "--imgpress.store=postgres",
        "--spring.datasource.url=" + databaseUrl,
        "--spring.datasource.username=" + TestDatabase.user(),
        "--imgpress.storage=s3",
        "--imgpress.storage.s3.bucket=" + bucket,
        "--imgpress.storage.s3.endpoint=" + s3.endpoint(),
        "--imgpress.storage.s3.path-style=true",
        "--imgpress.storage.s3.region=" + S3ProxyServer.REGION);
  }

  @Override
  Map<String, String> environment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
        "IMGPRESS_WEBHOOK_SECRET", "multi-process-test-secret");
  }

  @Override
  int processed() {
    return db.sql("select coalesce(sum(processed_images), 0) from requests")
        .query(Integer.class)
        .single();
  }

  @Override
  void assertCountersEqualRecords(String id) {
    Map<String, Object> counts =
        db.sql(
                """
                select r.total_images, r.processed_images, r.failed_images,
                  (select count(*) from images i where i.request_id = r.request_id) as rows_all,
                  (select count(*) from images i where i.request_id = r.request_id
                     and i.status = 'COMPLETED') as rows_completed
                from requests r where r.request_id = ?""")
            .param(id)
            .query()
            .singleRow();
    assertThat(((Number) counts.get("total_images")).intValue()).isEqualTo(IMAGES_PER_REQUEST);
    assertThat(((Number) counts.get("rows_all")).intValue()).isEqualTo(IMAGES_PER_REQUEST);
    assertThat(((Number) counts.get("processed_images")).intValue())
        .isEqualTo(((Number) counts.get("rows_completed")).intValue())
        .isEqualTo(IMAGES_PER_REQUEST);
  }

  @Override
  List<String> outputUrls() {
    return db.sql("select output_url from images").query(String.class).list();
  }

  @Override
  Set<String> storedObjects() throws Exception {
    return s3.objects(bucket);
  }

  @Override
  String keyOf(String outputUrl) {
    return URI.create(outputUrl).getPath().replaceFirst("^/images/", "");
  }
}
