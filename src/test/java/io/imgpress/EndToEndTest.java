package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.Codec;
import io.imgpress.processing.vips.VipsCodec;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import io.imgpress.webhook.WebhookSigner;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole service through its real HTTP API: a loopback origin serves images (and failures), a
 * loopback receiver takes the webhook.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndToEndTest {

  static final String SECRET = "test-secret";
  static final Map<String, byte[]> images = new ConcurrentHashMap<>();
  static final AtomicInteger flakyCalls = new AtomicInteger();
  static final List<Map<String, String>> webhooks = new CopyOnWriteArrayList<>();
  static LoopbackServer origin;
  static LoopbackServer receiver;
  static Path dataDir;

  @LocalServerPort int port;
  @Autowired RequestRepository requests;
  @Autowired Codec codec;
  ApiClient api;

  @BeforeAll
  static void startServers() throws IOException {
    images.put("/img/a.jpg", TestImages.jpeg(640, 480, 1));
    images.put("/img/b.jpg", TestImages.jpeg(300, 500, 2));
    images.put("/img/c.png", TestImages.png(200, 100));
    origin =
        new LoopbackServer()
            .on(
                "/img/",
                ex -> {
                  byte[] body = images.get(ex.getRequestURI().getPath());
                  if (body == null) {
                    LoopbackServer.respond(ex, 404, "text/plain", "nope".getBytes());
                  } else {
                    // a lying Content-Type: the service must sniff the bytes
                    LoopbackServer.respond(ex, 200, "application/octet-stream", body);
                  }
                })
            .on(
                "/slow.jpg",
                ex -> {
                  try {
                    Thread.sleep(1500);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "image/jpeg", TestImages.jpeg(64, 64, 5));
                })
            .on(
                "/page.html",
                ex ->
                    LoopbackServer.respond(
                        ex, 200, "image/jpeg", "<!doctype html><html>hi</html>".getBytes()))
            .on(
                "/truncated.jpg",
                ex -> {
                  byte[] whole = TestImages.jpeg(640, 480, 3);
                  byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
                  LoopbackServer.respond(ex, 200, "image/jpeg", half);
                })
            .on(
                "/loop",
                ex -> {
                  ex.getResponseHeaders().set("Location", "/loop");
                  ex.sendResponseHeaders(302, -1);
                  ex.close();
                })
            .on(
                "/huge.jpg",
                ex -> LoopbackServer.respond(ex, 200, "image/jpeg", new byte[3 * 1024 * 1024]))
            .on(
                "/bomb.png",
                ex ->
                    LoopbackServer.respond(
                        ex, 200, "image/png", TestImages.pngDeclaring(100_000, 100_000)))
            .on(
                "/flaky.jpg",
                ex -> {
                  if (flakyCalls.incrementAndGet() <= 2) {
                    LoopbackServer.respond(ex, 503, "text/plain", "busy".getBytes());
                  } else {
                    LoopbackServer.respond(ex, 200, "image/jpeg", TestImages.jpeg(320, 240, 4));
                  }
                });
    receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  byte[] body = ex.getRequestBody().readAllBytes();
                  webhooks.add(
                      Map.of(
                          "body", new String(body, StandardCharsets.UTF_8),
                          "timestamp", ex.getRequestHeaders().getFirst("X-Imgpress-Timestamp"),
                          "signature", ex.getRequestHeaders().getFirst("X-Imgpress-Signature"),
                          "delivery", ex.getRequestHeaders().getFirst("X-Imgpress-Delivery"),
                          "event", ex.getRequestHeaders().getFirst("X-Imgpress-Event")));
                  LoopbackServer.respond(ex, 204, "text/plain", new byte[0]);
                });
    dataDir = Files.createTempDirectory("imgpress-e2e");
  }

  @AfterAll
  static void stopServers() {
    origin.close();
    receiver.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.fetch.max-bytes", () -> "2MB");
    registry.add("imgpress.processing.initial-backoff", () -> "50ms");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add("imgpress.webhook.secret", () -> SECRET);
    // Nothing listens there: the default setup (database queue) must never need a Redis.
    registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:1");
  }

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port);
  }

  @Test
  void compressesEveryImageAndReturnsTheResultCsvAndWebhook() {
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,SKU1,\"%s,%s\"\n".formatted(origin.url("/img/a.jpg"), origin.url("/img/b.jpg"))
            + "2,SKU2,%s\n".formatted(origin.url("/img/c.png"));
    HttpResponse<String> accepted =
        api.upload(csv, Map.of("webhookUrl", receiver.url("/hook"), "quality", "60"));

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode body = api.json(accepted.body());
    String id = body.get("requestId").asString();
    assertThat(accepted.headers().firstValue("Location")).hasValue("/status/" + id);
    assertThat(body.get("status").asString()).isEqualTo("pending");
    assertThat(body.get("totalImages").asInt()).isEqualTo(3);

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(3);
    assertThat(status.get("failedImages").asInt()).isZero();
    assertThat(status.get("format").asString()).isEqualTo("jpeg");
    assertThat(status.get("quality").asInt()).isEqualTo(60);
    assertThat(status.get("maxWidth").isNull()).isTrue();
    assertThat(status.get("maxHeight").isNull()).isTrue();
    JsonNode products = status.get("products");
    assertThat(products.get(0).get("serialNumber").asInt()).isEqualTo(1);
    assertThat(products.get(0).get("productName").asString()).isEqualTo("SKU1");

    int[][] dims = {{640, 480}, {300, 500}, {200, 100}};
    // Previews fit 320×320 (the default) and are never enlarged.
    int[][] previewDims = {{320, 240}, {192, 320}, {200, 100}};
    int n = 0;
    for (JsonNode product : products) {
      for (JsonNode image : product.get("images")) {
        assertThat(image.get("status").asString()).isEqualTo("completed");
        assertThat(image.get("error").isNull()).isTrue();
        assertThat(image.get("quality").asInt()).as("the quality used").isEqualTo(60);
        HttpResponse<byte[]> output = api.getBytes(image.get("outputUrl").asString());
        assertThat(output.statusCode()).isEqualTo(200);
        assertThat(output.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(output.headers().firstValue("ETag")).isPresent();
        assertThat(output.headers().firstValue("Cache-Control").orElse("")).contains("max-age");
        String etag = output.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> unchanged = api.revalidate(image.get("outputUrl").asString(), etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(output.body()).startsWith(0xFF, 0xD8, 0xFF);
        assertThat(image.get("outputBytes").asLong()).isEqualTo(output.body().length);
        BufferedImage decoded = TestImages.decode(output.body());
        assertThat(new int[] {decoded.getWidth(), decoded.getHeight()}).containsExactly(dims[n]);
        String previewUrl = image.get("previewUrl").asString();
        assertThat(previewUrl)
            .isEqualTo(image.get("outputUrl").asString().replace(".jpg", "-before.jpg"));
        HttpResponse<byte[]> preview = api.getBytes(previewUrl);
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage small = TestImages.decode(preview.body());
        assertThat(new int[] {small.getWidth(), small.getHeight()})
            .containsExactly(previewDims[n++]);
      }
    }

    HttpResponse<String> result = api.get("/csv/" + id);
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String[] lines = result.body().split("\r\n");
    assertThat(lines[0]).isEqualTo("S. No.,Product Name,Input Image Urls,Output Image Urls");
    String out1 = products.get(0).get("images").get(0).get("outputUrl").asString();
    String out2 = products.get(0).get("images").get(1).get("outputUrl").asString();
    assertThat(lines[1])
        .isEqualTo(
            "1,\"SKU1\",\"%s,%s\",\"%s,%s\""
                .formatted(origin.url("/img/a.jpg"), origin.url("/img/b.jpg"), out1, out2));
    assertThat(lines).hasSize(3);

    Map<String, String> hook = awaitWebhook(id);
    assertThat(hook.get("event")).isEqualTo("request.completed");
    assertThat(hook.get("delivery")).isNotBlank();
    String expected =
        new WebhookSigner(SECRET.getBytes(StandardCharsets.UTF_8))
            .sign(
                Long.parseLong(hook.get("timestamp")),
                hook.get("body").getBytes(StandardCharsets.UTF_8));
    assertThat(hook.get("signature")).isEqualTo(expected);
    JsonNode payload = api.json(hook.get("body"));
    assertThat(payload.get("status").asString()).isEqualTo("completed");
    assertThat(payload.get("processedImages").asInt()).isEqualTo(3);
    assertThat(payload.get("csvUrl").asString()).endsWith("/csv/" + id);

    JsonNode after = awaitWebhookStatus(id, "delivered");
    assertThat(after.get("webhook").get("attempts").asInt()).isEqualTo(1);

    String metrics = api.get("/actuator/prometheus").body();
    assertThat(sample(metrics, "imgpress_images_processed_total", "outcome=\"completed\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(sample(metrics, "imgpress_uploads_total", "outcome=\"accepted\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(metrics, "imgpress_webhook_deliveries_total", "outcome=\"delivered\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics)
        .contains("imgpress_image_processing_seconds_bucket{")
        .contains("imgpress_image_fetch_seconds_bucket{")
        .contains("imgpress_queue_depth{")
        .contains("imgpress_queue_oldest_age_seconds{");
  }

  /**
   * A WebP request (stored through the repository, as an upload naming {@code format=webp} is): an
   * engine that writes WebP stores a real WebP under {@code .webp}, served as such, with the
   * quality used in /status and the .webp URL in the result CSV; an engine that does not fails the
   * image with a reason that names the format.
   */
  @Test
  void aWebpRequestEndsAsWebpOutputsOrAsAReasonTheEngineGives() {
    UUID id = UUID.randomUUID();
    requests.stage(
        new NewRequest(
            id,
            null,
            new Output(OutputFormat.WEBP, 70, 0, 0),
            null,
            List.of(new NewProduct(1, "SKU1", List.of(origin.url("/img/a.jpg"))))));

    JsonNode status = api.awaitFinal(id.toString(), Duration.ofSeconds(30));
    assertThat(status.get("format").asString()).isEqualTo("webp");
    assertThat(status.get("quality").asInt()).isEqualTo(70);
    JsonNode image = status.get("products").get(0).get("images").get(0);
    String[] rows = api.get("/csv/" + id).body().split("\r\n");
    if (codec.encodes().contains(OutputFormat.WEBP)) {
      assertThat(status.get("status").asString()).isEqualTo("completed");
      String outputUrl = image.get("outputUrl").asString();
      assertThat(outputUrl)
          .endsWith("/images/" + id + "/" + image.get("imageId").asLong() + ".webp");
      assertThat(image.get("quality").asInt()).isEqualTo(70);
      HttpResponse<byte[]> output = api.getBytes(outputUrl);
      assertThat(output.statusCode()).isEqualTo(200);
      assertThat(output.headers().firstValue("Content-Type")).hasValue("image/webp");
      byte[] bytes = output.body();
      assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
      assertThat(new String(bytes, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
      assertThat(rows[1]).endsWith(",\"" + outputUrl + "\"");
    } else {
      assertThat(status.get("status").asString()).isEqualTo("failed");
      assertThat(image.get("status").asString()).isEqualTo("failed");
      assertThat(image.get("error").asString()).containsIgnoringCase("webp");
      assertThat(image.get("quality").isNull()).isTrue();
      assertThat(image.get("outputUrl").isNull()).isTrue();
      assertThat(rows[1]).endsWith(",\"\"");
    }
  }

  @Test
  void reportsEachBadSourceWithoutFailingItsNeighbours() {
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,missing,%s\n".formatted(origin.url("/img/missing.jpg"))
            + "2,html,%s\n".formatted(origin.url("/page.html"))
            + "3,truncated,%s\n".formatted(origin.url("/truncated.jpg"))
            + "4,loop,%s\n".formatted(origin.url("/loop"))
            + "5,huge,%s\n".formatted(origin.url("/huge.jpg"))
            + "6,bomb,%s\n".formatted(origin.url("/bomb.png"))
            + "7,flaky,%s\n".formatted(origin.url("/flaky.jpg"))
            + "8,good,%s\n".formatted(origin.url("/img/a.jpg"));
    String id = api.json(api.upload(csv, Map.of()).body()).get("requestId").asString();

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("failedImages").asInt()).isEqualTo(6);
    assertThat(status.get("processedImages").asInt()).isEqualTo(8);
    List<JsonNode> imgs =
        status.get("products").valueStream().map(p -> p.get("images").get(0)).toList();
    assertThat(imgs.get(0).get("error").asString()).contains("404");
    assertThat(imgs.get(1).get("error").asString()).contains("HTML");
    assertThat(imgs.get(2).get("error").asString()).containsIgnoringCase("corrupt");
    assertThat(imgs.get(3).get("error").asString()).containsIgnoringCase("redirect");
    assertThat(imgs.get(4).get("error").asString()).containsIgnoringCase("larger");
    assertThat(imgs.get(5).get("error").asString()).containsIgnoringCase("too large");
    for (int i = 0; i < 6; i++) {
      assertThat(imgs.get(i).get("status").asString()).isEqualTo("failed");
      assertThat(imgs.get(i).get("outputUrl").isNull()).isTrue();
      assertThat(imgs.get(i).get("previewUrl").isNull())
          .as("no preview of a failed image")
          .isTrue();
    }
    assertThat(imgs.get(6).get("status").asString()).isEqualTo("completed");
    assertThat(flakyCalls.get()).isEqualTo(3);
    assertThat(imgs.get(7).get("status").asString()).isEqualTo("completed");

    String[] rows = api.get("/csv/" + id).body().split("\r\n");
    assertThat(rows[1]).endsWith(",\"\"");
    assertThat(rows[8]).contains("/images/" + id + "/");

    String metrics = api.get("/actuator/prometheus").body();
    for (String reason : List.of("http_4xx", "not_image", "corrupt", "other")) {
      assertThat(failures(metrics, reason)).as(reason).isGreaterThanOrEqualTo(1);
    }
    assertThat(failures(metrics, "too_large")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void reportsHealthGroupsAndBuildInfo() {
    HttpResponse<String> health = api.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode components = api.json(health.body()).get("components");
    for (String name : List.of("requestStore", "queue", "storage", "codec", "db")) {
      assertThat(components.get(name).get("status").asString()).as(name).isEqualTo("UP");
    }
    assertThat(components.get("queue").get("details").has("jobs")).isTrue();
    assertThat(components.has("redis")).as("no Redis health without the Redis queue").isFalse();
    assertThat(components.get("queue").get("details").has("oldestAgeSeconds")).isTrue();
    assertThat(components.get("codec").get("details").get("engine").asString()).isNotBlank();

    HttpResponse<String> readiness = api.get("/actuator/health/readiness");
    assertThat(readiness.statusCode()).isEqualTo(200);
    JsonNode ready = api.json(readiness.body()).get("components");
    assertThat(ready.propertyNames())
        .contains("readinessState", "requestStore", "queue", "storage")
        .doesNotContain("codec", "livenessState");
    assertThat(api.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

    JsonNode info = api.json(api.get("/actuator/info").body());
    assertThat(info.get("build").get("version").asString()).isNotBlank();
    assertThat(info.get("app").get("name").asString()).isEqualTo("imgpress");
  }

  @Test
  void refusesInvalidCsvWithEveryErrorAsProblemJson() {
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,,http://example.com/a.jpg\n"
            + "x,SKU2,ftp://example.com/b.jpg\n";
    HttpResponse<String> response = api.upload(csv, Map.of());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = api.json(response.body());
    assertThat(problem.get("errors").size()).isGreaterThanOrEqualTo(3);
    assertThat(problem.get("errors").get(0).get("line").asInt()).isEqualTo(2);
    assertThat(response.body()).doesNotContain("at io.imgpress");
    assertThat(api.json(api.get("/requests-that-do-not-exist").body()).get("status").asInt())
        .isEqualTo(404);
  }

  @Test
  void refusesTooManyRowsWith413AndStoresNothing() {
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    for (int i = 1; i <= 10_001; i++) {
      csv.append(i).append(",p").append(i).append(",http://x.test/").append(i).append(".jpg\n");
    }
    HttpResponse<String> response = api.upload(csv.toString(), Map.of());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(api.json(response.body()).get("detail").asString()).contains("10000 rows");
  }

  @Test
  void answersProblemsForUnknownIdsAndUnfinishedCsv() {
    HttpResponse<String> unknown = api.get("/status/00000000-0000-4000-8000-000000000000");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(api.get("/status/not-an-id").statusCode()).isEqualTo(404);
    assertThat(api.get("/csv/not-an-id").statusCode()).isEqualTo(404);
    assertThat(api.get("/images/not-an-id/1.jpg").statusCode()).isEqualTo(404);
    assertThat(api.get("/images/00000000-0000-4000-8000-000000000000/..%2F..%2Fetc").statusCode())
        .isIn(400, 404);

    String slow =
        "S. No.,Product Name,Input Image Urls\n1,slow,%s\n".formatted(origin.url("/slow.jpg"));
    String id = api.json(api.upload(slow, Map.of()).body()).get("requestId").asString();
    HttpResponse<String> early = api.get("/csv/" + id);
    assertThat(early.statusCode()).isEqualTo(409);
    JsonNode conflict = api.json(early.body());
    assertThat(conflict.get("totalImages").asInt()).isEqualTo(1);
    assertThat(conflict.get("processedImages").asInt()).isZero();
    assertThat(conflict.get("status").asInt()).isEqualTo(409);
    assertThat(conflict.get("requestStatus").asString()).isIn("pending", "processing");
    api.awaitFinal(id, Duration.ofSeconds(20));
    assertThat(api.get("/csv/" + id).statusCode()).isEqualTo(200);

    HttpResponse<String> badQuality =
        api.upload(
            "S. No.,Product Name,Input Image Urls\n1,a,http://x.test/a.jpg\n",
            Map.of("quality", "101"));
    assertThat(badQuality.statusCode()).isEqualTo(400);
    assertThat(api.json(badQuality.body()).get("field").asString()).isEqualTo("quality");
  }

  private static double failures(String prometheus, String reason) {
    return sample(
        prometheus,
        "imgpress_images_processed_total",
        "outcome=\"failed\"",
        "reason=\"" + reason + "\"");
  }

  /** The value of the sample of the given metric whose labels include all the given ones. */
  private static double sample(String prometheus, String metric, String... labels) {
    return prometheus
        .lines()
        .filter(line -> line.startsWith(metric + "{"))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " " + List.of(labels)));
  }

  @Test
  void namesTheCodecEngineInActuatorInfo() {
    // Run with -Dimgpress.codec.engine=portable to put this whole class on the portable engine.
    boolean portable =
        System.getProperty("imgpress.codec.engine", "auto").equals("portable")
            || !VipsCodec.isAvailable();
    JsonNode codec = api.json(api.get("/actuator/info").body()).get("codec");
    assertThat(codec.get("engine").asString()).isEqualTo(portable ? "portable" : "native");
    assertThat(codec.get("version").asString()).isNotBlank();
  }

  private Map<String, String> awaitWebhook(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (Map<String, String> hook : webhooks) {
        if (hook.get("body").contains(id)) {
          return hook;
        }
      }
      sleep();
    }
    throw new AssertionError("no webhook for " + id);
  }

  private JsonNode awaitWebhookStatus(String id, String wanted) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode status;
    do {
      status = api.json(api.get("/status/" + id).body());
      if (wanted.equals(status.get("webhook").get("status").asString())) {
        return status;
      }
      sleep();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("webhook not " + wanted + ": " + status);
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
