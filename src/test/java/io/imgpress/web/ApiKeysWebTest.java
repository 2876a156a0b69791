package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * API keys through real HTTP: every API call needs a key, each owner sees only their own requests
 * (another's answers exactly like an unknown id), the images and health stay public, and the
 * per-owner hourly limit answers 429 with Retry-After.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiKeysWebTest {

  static final String ALICE = "alice-key-" + UUID.randomUUID();
  static final String BOB = "bob-key-" + UUID.randomUUID();
  static final String CAROL = "carol-key-" + UUID.randomUUID();
  static final byte[] JPEG = TestImages.jpeg(64, 48, 3);

  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  ApiClient anonymous;
  ApiClient alice;
  ApiClient bob;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startOrigin() throws IOException {
    origin =
        new LoopbackServer().on("/", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", JPEG));
    dataDir = Files.createTempDirectory("imgpress-keys");
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add(
        "imgpress.security.api-keys",
        () -> "alice:" + sha256(ALICE) + ",bob:" + sha256(BOB) + ",carol:" + sha256(CAROL));
    registry.add("imgpress.security.limits.images-per-hour", () -> "4");
  }

  static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void clients() {
    anonymous = new ApiClient("http://127.0.0.1:" + port);
    alice = anonymous.withKey(ALICE);
    bob = anonymous.withKey(BOB);
  }

  private String csv(int images) {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      urls.add(origin.url("/" + UUID.randomUUID() + ".jpg"));
    }
    return "S. No.,Product Name,Input Image Urls\n1,SKU,\"" + String.join(",", urls) + "\"\n";
  }

  private String upload(ApiClient client) {
    HttpResponse<String> accepted = client.upload(csv(1), Map.of());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return client.json(accepted.body()).get("requestId").asString();
  }

  @Test
  void everyApiCallNeedsAKey() {
    for (String path :
        List.of(
            "/requests",
            "/status/" + UUID.randomUUID(),
            "/status/" + UUID.randomUUID() + "/events",
            "/csv/" + UUID.randomUUID(),
            "/webhook-secret",
            "/actuator/info",
            "/actuator/metrics")) {
      HttpResponse<String> refused = anonymous.get(path);
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .as(path)
          .contains("Bearer realm=\"imgpress\"");
      assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
      JsonNode problem = anonymous.json(refused.body());
      assertThat(problem.get("type").asString()).isEqualTo("/problems/api-key-required");
      assertThat(problem.get("status").asInt()).isEqualTo(401);
      assertThat(refused.headers().firstValue("X-Content-Type-Options"))
          .as("the security headers are on a refusal too")
          .contains("nosniff");
    }
    HttpResponse<String> upload = anonymous.upload(csv(1), Map.of());
    assertThat(upload.statusCode()).isEqualTo(401);

    HttpResponse<String> wrong = anonymous.withKey("not-a-key").get("/requests");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"imgpress\", error=\"invalid_token\"");
    assertThat(anonymous.withKey(sha256(ALICE)).get("/requests").statusCode())
        .as("the configured hash is not a key")
        .isEqualTo(401);
  }

  @Test
  void thePageHealthAndTheApiDescriptionArePublic() {
    for (String path :
        List.of("/", "/index.html", "/app.js", "/actuator/health", "/actuator/health/liveness")) {
      assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(anonymous.get("/v3/api-docs").statusCode()).isEqualTo(200);
    assertThat(alice.get("/actuator/info").statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestIsVisibleOnlyToItsOwnerAndAnotherOwnerGetsTheAnswerOfAnUnknownId() throws Exception {
    String id = upload(alice);
    JsonNode done = alice.awaitFinal(id, Duration.ofSeconds(30));
    assertThat(done.get("status").asString()).isEqualTo("completed");

    assertThat(ids(alice)).contains(id);
    assertThat(ids(bob)).doesNotContain(id);
    assertThat(alice.get("/csv/" + id).statusCode()).isEqualTo(200);
    Answer stream = events(ALICE, id);
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.body()).contains("event:status");

    String unknown = UUID.randomUUID().toString();
    for (String path : List.of("/status/%s", "/csv/%s", "/status/%s/events")) {
      Answer hidden =
          path.endsWith("events") ? events(BOB, id) : answer(bob.get(path.formatted(id)));
      Answer none =
          path.endsWith("events") ? events(BOB, unknown) : answer(bob.get(path.formatted(unknown)));
      assertThat(hidden.status()).as(path).isEqualTo(404);
      assertThat(hidden)
          .as("%s answers exactly like an unknown id", path)
          .isEqualTo(
              new Answer(none.status(), none.contentType(), none.body().replace(unknown, id)));
    }

    // The images stay public, behind their unguessable paths.
    String output = done.get("products").get(0).get("images").get(0).get("outputUrl").asString();
    HttpResponse<byte[]> image = anonymous.getBytes(output);
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).contains("image/jpeg");

    // Only the owner may delete it: to anyone else it is unknown, and nothing goes.
    assertThat(anonymous.delete("/requests/" + id).statusCode()).isEqualTo(401);
    HttpResponse<String> bobsDelete = bob.delete("/requests/" + id);
    HttpResponse<String> unknownDelete = bob.delete("/requests/" + unknown);
    assertThat(bobsDelete.statusCode()).isEqualTo(404);
    assertThat(bobsDelete.body()).isEqualTo(unknownDelete.body().replace(unknown, id));
    assertThat(alice.get("/status/" + id).statusCode()).isEqualTo(200);
    assertThat(anonymous.getBytes(output).statusCode()).isEqualTo(200);
    assertThat(alice.delete("/requests/" + id).statusCode()).isEqualTo(204);
    assertThat(alice.get("/status/" + id).statusCode()).isEqualTo(404);
    assertThat(anonymous.getBytes(output).statusCode()).isEqualTo(404);
  }

  @Test
  void eachOwnerReadsTheirOwnWebhookSecret() {
    HttpResponse<String> alices = alice.get("/webhook-secret");
    HttpResponse<String> bobs = bob.get("/webhook-secret");
    assertThat(alices.statusCode()).isEqualTo(200);
    JsonNode a = alice.json(alices.body());
    JsonNode b = bob.json(bobs.body());
    assertThat(a.get("owner").asString()).isEqualTo("alice");
    assertThat(a.get("secret").asString()).matches("[0-9a-f]{64}");
    assertThat(a.get("standardSecret").asString())
        .isEqualTo(
            "whsec_"
                + java.util.Base64.getEncoder()
                    .encodeToString(a.get("secret").asString().getBytes(StandardCharsets.UTF_8)));
    assertThat(b.get("owner").asString()).isEqualTo("bob");
    assertThat(b.get("secret").asString()).isNotEqualTo(a.get("secret").asString());
  }

  @Test
  void theHourlyImageLimitAnswers429WithRetryAfter() {
    ApiClient carol = anonymous.withKey(CAROL);
    HttpResponse<String> tooLarge = carol.upload(csv(5), Map.of());
    assertThat(tooLarge.statusCode()).isEqualTo(429);
    assertThat(tooLarge.headers().firstValue("Retry-After")).contains("3600");

    for (int i = 0; i < 4; i++) {
      upload(carol);
    }
    HttpResponse<String> refused = carol.upload(csv(1), Map.of());
    assertThat(refused.statusCode()).isEqualTo(429);
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(3000L, 3600L);
    JsonNode problem = carol.json(refused.body());
    assertThat(problem.get("type").asString()).isEqualTo("/problems/limit-reached");
    assertThat(problem.get("limit").asString()).isEqualTo("images-per-hour");
    assertThat(upload(alice)).as("other owners are not held back").isNotNull();
  }

  private List<String> ids(ApiClient client) {
    HttpResponse<String> list = client.get("/requests?size=100");
    assertThat(list.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    client.json(list.body()).get("items").forEach(i -> ids.add(i.get("requestId").asString()));
    return ids;
  }

  record Answer(int status, String contentType, String body) {}

  private Answer answer(HttpResponse<String> response) {
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.body());
  }

  /** The event stream of a final request: one event, then it ends. */
  private Answer events(String key, String id) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/status/" + id + "/events"))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return answer(response);
  }
}
