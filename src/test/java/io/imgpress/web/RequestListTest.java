package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code GET /requests} through real HTTP, on a database holding only this class's uploads. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestListTest {

  static LoopbackServer origin;
  static Path dataDir;
  static final List<String> uploaded = new ArrayList<>();

  @LocalServerPort int port;
  ApiClient api;

  @BeforeAll
  static void startOrigin() throws IOException {
    origin =
        new LoopbackServer()
            .on("/", ex -> LoopbackServer.respond(ex, 404, "text/plain", "gone".getBytes()));
    dataDir = Files.createTempDirectory("imgpress-list");
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
  }

  @BeforeEach
  void threeRequests() throws InterruptedException {
    api = new ApiClient("http://127.0.0.1:" + port);
    while (uploaded.size() < 3) {
      String csv =
          "S. No.,Product Name,Input Image Urls\n1,SKU,%s\n"
              .formatted(origin.url("/" + uploaded.size() + ".jpg"));
      HttpResponse<String> accepted = api.upload(csv, Map.of());
      assertThat(accepted.statusCode()).isEqualTo(202);
      uploaded.add(api.json(accepted.body()).get("requestId").asString());
      Thread.sleep(5); // distinct creation times, so "newest first" is the upload order reversed
    }
  }

  @Test
  void listsNewestFirstWithTheContractFields() {
    JsonNode page = json(api.get("/requests"));
    assertThat(page.get("page").asInt()).isZero();
    assertThat(page.get("size").asInt()).isEqualTo(20);
    assertThat(page.get("hasMore").asBoolean()).isFalse();
    assertThat(ids(page)).containsExactly(uploaded.get(2), uploaded.get(1), uploaded.get(0));

    JsonNode item = page.get("items").get(0);
    assertThat(item.propertyNames())
        .containsExactlyInAnyOrder(
            "requestId",
            "status",
            "totalImages",
            "processedImages",
            "failedImages",
            "createdAt",
            "updatedAt",
            "statusUrl",
            "csvUrl");
    assertThat(item.get("totalImages").asInt()).isEqualTo(1);
    assertThat(item.get("status").asString()).isIn("pending", "processing", "failed");
    assertThat(item.get("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(item.get("statusUrl").asString())
        .isEqualTo("http://localhost:" + port + "/status/" + uploaded.get(2));
    assertThat(item.get("csvUrl").asString()).endsWith("/csv/" + uploaded.get(2));
  }

  @Test
  void pagesWithHasMore() {
    JsonNode first = json(api.get("/requests?page=0&size=2"));
    assertThat(ids(first)).containsExactly(uploaded.get(2), uploaded.get(1));
    assertThat(first.get("hasMore").asBoolean()).isTrue();

    JsonNode second = json(api.get("/requests?page=1&size=2"));
    assertThat(second.get("page").asInt()).isEqualTo(1);
    assertThat(ids(second)).containsExactly(uploaded.get(0));
    assertThat(second.get("hasMore").asBoolean()).isFalse();

    JsonNode beyond = json(api.get("/requests?page=7&size=2"));
    assertThat(beyond.get("items").isEmpty()).isTrue();
    assertThat(beyond.get("hasMore").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "size=0, size",
    "size=101, size",
    "size=ten, size",
    "page=-1, page",
    "page=x, page",
    "page=1000001, page"
  })
  void refusesPagingOutOfRangeWithAProblem(String query, String field) {
    HttpResponse<String> response = api.get("/requests?" + query);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = api.json(response.body());
    assertThat(problem.get("field").asString()).isEqualTo(field);
    assertThat(problem.get("detail").asString()).contains(field + " must be");
  }

  private JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return api.json(response.body());
  }

  private static List<String> ids(JsonNode page) {
    return page.get("items").valueStream().map(i -> i.get("requestId").asString()).toList();
  }
}
