package io.imgpress;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import io.imgpress.queue.JobQueue;
import io.imgpress.request.RequestRepository;
import io.imgpress.storage.ImageStore;
import io.imgpress.support.ApiClient;
import io.imgpress.support.CloudinaryStub;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import io.imgpress.support.TestMongo;
import io.imgpress.support.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The original design's stack in one process: MongoDB store ({@code imgpress.store=mongodb}, on
 * mongo-java-server), Redis Streams queue ({@code imgpress.queue=redis}, on a redis-server the test
 * starts) and Cloudinary storage ({@code imgpress.storage=cloudinary}, on the loopback stub). An
 * upload goes through the outbox to the streams and its outputs to Cloudinary; the result CSV and
 * the webhook name the Cloudinary URLs; no SQL database exists.
 */
// The backends are chosen in properties the environment has from the start, as a user's would be
// (the store's choice also decides which auto-configuration runs); their addresses come later.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"imgpress.store=mongodb", "imgpress.queue=redis", "imgpress.storage=cloudinary"})
@DirtiesContext
class OriginalStackEndToEndTest {

  static final byte[] JPEG = TestImages.jpeg(64, 48, 3);
  static final String SECRET = "original-stack-end-to-end-secret";
  static LoopbackServer origin;
  static CloudinaryStub cloudinary;
  static Path dataDir;
  static final List<byte[]> webhooks = new CopyOnWriteArrayList<>();
  static final List<Map<String, List<String>>> webhookHeaders = new CopyOnWriteArrayList<>();

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired JobQueue queue;
  @Autowired RequestRepository requests;
  @Autowired ImageStore store;

  @BeforeAll
  static void start() throws IOException {
    origin =
        new LoopbackServer()
            .on("/a.jpg", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", JPEG))
            .on("/b.jpg", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", JPEG))
            .on(
                "/hook",
                ex -> {
                  webhooks.add(ex.getRequestBody().readAllBytes());
                  Map<String, List<String>> headers = new HashMap<>();
                  ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
                  webhookHeaders.add(headers);
                  LoopbackServer.respond(ex, 204, "text/plain", new byte[0]);
                });
    cloudinary = new CloudinaryStub();
    dataDir = Files.createTempDirectory("imgpress-original-stack");
  }

  @AfterAll
  static void stop() {
    origin.close();
    cloudinary.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.mongodb.uri", TestMongo::uri);
    registry.add(
        "spring.mongodb.database", () -> "e2e" + UUID.randomUUID().toString().substring(0, 8));
    registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
    registry.add("imgpress.queue.redis.key-prefix", () -> "e2e-" + UUID.randomUUID() + ":");
    registry.add("imgpress.storage.cloudinary.url", () -> cloudinary.cloudinaryUrl());
    registry.add("imgpress.webhook.secret", () -> SECRET);
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
  }

  @Test
  void anUploadIsProcessedOnMongoRedisAndCloudinary() throws Exception {
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    String csv =
        "S. No.,Product Name,Input Image Urls\n1,SKU1,\"%s,%s\"\n"
            .formatted(origin.url("/a.jpg"), origin.url("/b.jpg"));
    HttpResponse<String> accepted = api.upload(csv, Map.of("webhookUrl", origin.url("/hook")));
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(60));

    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(2);
    String resultCsv = api.get("/csv/" + id).body();
    assertThat(resultCsv).contains(cloudinary.deliveryPrefix() + "/image/upload/v");
    assertThat(cloudinary.publicIds())
        .as("two outputs and their previews")
        .hasSize(4)
        .allMatch(p -> p.startsWith("imgpress/" + id))
        .filteredOn(p -> p.endsWith("-before"))
        .hasSize(2);
    JsonNode first = status.get("products").get(0).get("images").get(0);
    String output = first.get("outputUrl").asString();
    String preview = first.get("previewUrl").asString();
    assertThat(preview)
        .startsWith(cloudinary.deliveryPrefix() + "/image/upload/v")
        .endsWith("-before.jpg");
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> served =
          client.send(
              HttpRequest.newBuilder(URI.create(output)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body()).startsWith((byte) 0xFF, (byte) 0xD8);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (webhooks.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(webhooks).hasSize(1);
    assertThat(new String(webhooks.getFirst())).contains(id).contains("\"completed\"");
    // A receiver verifies the delivery with the Standard Webhooks reference library, given the
    // service's secret as whsec_ and the base64 of its bytes.
    new Webhook("whsec_" + Base64.getEncoder().encodeToString(SECRET.getBytes(UTF_8)))
        .verify(new String(webhooks.getFirst(), UTF_8), webhookHeaders.getFirst());

    assertThat(queue.getClass().getSimpleName()).isEqualTo("RedisJobQueue");
    // Behind the failure translation of the Mongo adapters, which hands toString through.
    assertThat(requests.toString())
        .startsWith("io.imgpress.request.mongodb.MongoRequestRepository@");
    assertThat(store.getClass().getSimpleName()).isEqualTo("CloudinaryImageStore");
    assertThat(context.getBeanNamesForType(DataSource.class)).as("no SQL database").isEmpty();
    JsonNode health = api.json(api.get("/actuator/health").body());
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("requestStore").get("status").asString())
        .isEqualTo("UP");
    assertThat(health.get("components").has("mongodb"))
        .as("Spring's own check sends a command older servers lack; requestStore covers it")
        .isFalse();
  }
}
