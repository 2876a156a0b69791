package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imgpress.ImgpressApplication;
import io.imgpress.support.ApiClient;
import io.imgpress.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * While the database is unreachable the API says so with 503 and {@code Retry-After}, never a 500
 * that reads as a bug, and answers again once the database is back.
 */
class StoreDownTest {

  @TempDir Path dataDir;

  private ConfigurableApplicationContext app;
  private String db;

  @AfterEach
  void stop() {
    if (db != null) {
      TestDatabase.allowConnections(db, true);
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void anUnreachableDatabaseIsA503WithRetryAfterUntilItIsBack() {
    db = TestDatabase.emptyPostgres();
    app =
        new SpringApplicationBuilder(ImgpressApplication.class)
            .run(
                "--server.port=0",
                "--imgpress.data-dir=" + dataDir,
                "--imgpress.role=api",
                "--imgpress.store=postgres",
                "--spring.datasource.url=" + db,
                "--spring.datasource.username=" + TestDatabase.user(),
                "--spring.datasource.hikari.connection-timeout=1000");
    ApiClient api =
        new ApiClient("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    String csv = "S. No.,Product Name,Input Image Urls\n1,SKU1,http://example.com/a.jpg\n";
    HttpResponse<String> accepted = api.upload(csv, Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();

    TestDatabase.allowConnections(db, false);

    for (String path : List.of("/requests", "/status/" + id, "/csv/" + id)) {
      HttpResponse<String> answer = api.get(path);
      assertThat(answer.statusCode()).as(path).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).as(path).hasValue("5");
      assertThat(answer.headers().firstValue("Content-Type"))
          .as(path)
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(api.json(answer.body()).get("type").asString())
          .as(path)
          .isEqualTo("/problems/temporarily-unavailable");
      assertThat(answer.body()).as(path).doesNotContain("jdbc", "postgres", "Exception");
    }
    HttpResponse<String> upload = api.upload(csv, Map.of());
    assertThat(upload.statusCode()).isEqualTo(503);
    assertThat(upload.headers().firstValue("Retry-After")).hasValue("5");

    TestDatabase.allowConnections(db, true);
    // The pool connects again on its own; on a busy machine that may take a few attempts.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(api.get("/status/" + id).statusCode()).isEqualTo(200));
  }
}
