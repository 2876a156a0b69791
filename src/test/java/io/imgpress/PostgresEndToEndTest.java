package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestDatabase;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service on PostgreSQL ({@code imgpress.store=postgres}): migrated with the PostgreSQL
 * scripts, its queue in the same database with a listener instead of the H2 start-up recovery, an
 * upload processed to the end. Polling is slowed to a minute, so the work goes on because enqueues
 * wake the workers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class, while the test JVM's PostgreSQL still runs: left to the JVM's exit, the
// context would stop beside the server's own shutdown hook and wait out the pool's timeout.
@DirtiesContext
class PostgresEndToEndTest {

  static final byte[] JPEG = TestImages.jpeg(64, 48, 3);
  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired JdbcTemplate sql;

  @BeforeAll
  static void start() throws IOException {
    origin =
        new LoopbackServer()
            .on("/a.jpg", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", JPEG))
            .on("/b.jpg", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", JPEG));
    dataDir = Files.createTempDirectory("imgpress-pg");
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String url = TestDatabase.emptyPostgres();
    registry.add("imgpress.store", () -> "postgres");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", TestDatabase::user);
    registry.add("spring.datasource.password", () -> "");
    registry.add("imgpress.webhook.secret", () -> "postgres-end-to-end-secret");
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "60s");
  }

  @Test
  void anUploadIsProcessedOnPostgres() throws Exception {
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    String csv =
        "S. No.,Product Name,Input Image Urls\n1,SKU1,%s,%s\n"
            .formatted(origin.url("/a.jpg"), origin.url("/b.jpg"));
    HttpResponse<String> accepted = api.upload(csv, Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));

    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(2);
    assertThat(sql.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
    assertThat(
            sql.queryForObject(
                "select count(*) from flyway_schema_history where script like 'V2%'", Long.class))
        .isEqualTo(1);
    assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
    assertThat(context.containsBean("postgresJobListener")).isTrue();
    assertThat(context.containsBean("jdbcQueueRecovery")).as("H2 only").isFalse();
  }
}
