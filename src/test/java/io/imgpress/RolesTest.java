package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.queue.JobQueue;
import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestDatabase;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The roles as separate processes would run them: an API node and a worker node, each its own
 * application context with its own HTTP port, sharing one database and one data dir. The API node
 * accepts and serves but processes nothing; the worker processes and serves only the management
 * endpoints; what a client sees on the API node comes from the store, whoever did the work.
 *
 * <p>The shared store is a fresh database on the tests' PostgreSQL server ({@link
 * TestDatabase#emptyPostgres}).
 */
class RolesTest {

  static LoopbackServer origin;
  static Path dataDir;
  final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  @BeforeAll
  static void startOrigin() throws IOException {
    byte[] jpeg = TestImages.jpeg(320, 240, 3);
    origin =
        new LoopbackServer().on("/img/", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", jpeg));
    dataDir = Files.createTempDirectory("imgpress-roles");
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @AfterEach
  void closeContexts() {
    contexts.reversed().forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void aSplitRoleOnTheEmbeddedFileStoreIsRefusedAtStart() {
    for (String role : List.of("api", "worker")) {
      assertThatThrownBy(() -> start(Map.of("imgpress.role", role, "imgpress.store", "h2")))
          .rootCause()
          .hasMessageContaining(
              "imgpress.role=" + role + " needs a store that several processes share")
          .hasMessageContaining("set imgpress.store=postgres");
    }
  }

  @Test
  void aWorkerOnASharedStoreWithoutTheWebhookSecretIsRefusedAtStart() {
    Map<String, String> worker = shared("worker", TestDatabase.emptyPostgres());
    worker.remove("imgpress.webhook.secret");
    assertThatThrownBy(() -> start(worker))
        .rootCause()
        .hasMessageContaining("imgpress.webhook.secret (IMGPRESS_WEBHOOK_SECRET) must be set");
  }

  @Test
  void anApiNodeAcceptsAndServesAndAWorkerNodeProcesses() throws Exception {
    String db = TestDatabase.emptyPostgres();
    ConfigurableApplicationContext apiNode = start(shared("api", db));
    ApiClient api = client(apiNode);

    assertThat(apiNode.containsBean("imageStages")).isFalse();
    assertThat(apiNode.containsBean("jobWorkers")).isFalse();
    assertThat(apiNode.containsBean("webhookSecret")).isFalse();
    assertThat(api.get("/").statusCode()).isEqualTo(200);
    assertThat(api.get("/v3/api-docs").statusCode()).isEqualTo(200);
    JsonNode apiHealth = api.json(api.get("/actuator/health").body());
    assertThat(apiHealth.get("components").has("codec")).as("api nodes encode nothing").isFalse();
    assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,SKU1,\"%s,%s\"\n".formatted(origin.url("/img/1.jpg"), origin.url("/img/2.jpg"))
            + "2,SKU2,%s\n".formatted(origin.url("/img/3.jpg"));
    HttpResponse<String> accepted = api.upload(csv, Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();
    Thread.sleep(600); // several poll intervals: a worker would have taken the upload by now
    assertThat(api.json(api.get("/status/" + id).body()).get("status").asString())
        .isEqualTo("pending");
    assertThat(apiNode.getBean(JobQueue.class).depth().jobs())
        .as("the upload waits in the queue for a worker")
        .isEqualTo(1);

    ConfigurableApplicationContext workerNode = start(shared("worker", db));
    ApiClient worker = client(workerNode);
    assertThat(workerNode.containsBean("imageStages")).isTrue();
    assertThat(workerNode.containsBean("jobWorkers")).isTrue();
    assertThat(workerNode.getBeansWithAnnotation(RestController.class).keySet())
        .as("a worker's only controller is the error page's")
        .containsExactly("problemErrorController");

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(3);
    String outputUrl =
        status.get("products").get(0).get("images").get(0).get("outputUrl").asString();
    assertThat(api.getBytes(outputUrl).statusCode()).isEqualTo(200);
    assertThat(api.get("/csv/" + id).statusCode()).isEqualTo(200);
    HttpResponse<String> events = api.get("/status/" + id + "/events");
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("\"status\":\"completed\"");

    // The worker's port: management endpoints only; API paths answer 404 problem+json.
    assertThat(worker.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(worker.json(worker.get("/actuator/health").body()).get("components").has("codec"))
        .isTrue();
    for (String path :
        List.of(
            "/",
            "/index.html",
            "/app.js",
            "/v3/api-docs",
            "/swagger-ui.html",
            "/status/" + id,
            "/csv/" + id,
            outputPath(outputUrl))) {
      HttpResponse<String> answer = worker.get(path);
      assertThat(answer.statusCode()).as(path).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Type"))
          .as(path)
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }
    HttpResponse<String> upload = worker.upload(csv, Map.of());
    assertThat(upload.statusCode()).isEqualTo(404);
  }

  private static String outputPath(String url) {
    return URI.create(url).getPath();
  }

  private Map<String, String> shared(String role, String db) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("imgpress.role", role);
    properties.put("imgpress.store", "postgres");
    properties.put("spring.datasource.url", db);
    properties.put("spring.datasource.username", TestDatabase.user());
    properties.put("imgpress.webhook.secret", "shared-secret");
    return properties;
  }

  private ConfigurableApplicationContext start(Map<String, String> properties) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("server.port", "0");
    all.put("imgpress.data-dir", dataDir.toString());
    all.put("imgpress.fetch.allow-private-networks", "true");
    all.put("imgpress.processing.poll-interval", "100ms");
    all.put("imgpress.web.events.poll-interval", "100ms");
    all.putAll(properties);
    // As arguments, which outrank application.yml (default properties would not).
    String[] args =
        all.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ImgpressApplication.class).run(args);
    contexts.add(context);
    return context;
  }

  private static ApiClient client(ConfigurableApplicationContext context) {
    return new ApiClient(
        "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }
}
