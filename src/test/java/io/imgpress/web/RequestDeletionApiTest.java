package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code DELETE /requests/{id}} through real HTTP, with the local image store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestDeletionApiTest {

  static LoopbackServer origin;
  static Path dataDir;
  static final CountDownLatch holding = new CountDownLatch(1);
  static final CountDownLatch release = new CountDownLatch(1);

  @LocalServerPort int port;
  ApiClient api;

  @BeforeAll
  static void startOrigin() throws IOException {
    byte[] jpeg = TestImages.jpeg(64, 48, 1);
    origin =
        new LoopbackServer()
            .on("/img/", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", jpeg))
            .on(
                "/held/",
                ex -> {
                  holding.countDown();
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "image/jpeg", jpeg);
                });
    dataDir = Files.createTempDirectory("imgpress-delete");
  }

  @AfterAll
  static void stopOrigin() {
    release.countDown();
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
  }

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port);
  }

  private String upload(String... paths) {
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n1,SKU,\"");
    List<String> urls = new ArrayList<>();
    for (String path : paths) {
      urls.add(origin.url(path));
    }
    csv.append(String.join(",", urls)).append("\"\n");
    HttpResponse<String> accepted = api.upload(csv.toString(), Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    return api.json(accepted.body()).get("requestId").asString();
  }

  private Path folder(String requestId) {
    return dataDir.resolve("images").resolve(requestId);
  }

  private static boolean emptyOrGone(Path folder) {
    if (!Files.exists(folder)) {
      return true;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void assertNotFound(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void deletesAFinishedRequestWithItsImagesAndEverythingAnswers404Afterwards() {
    String id = upload("/img/a.jpg", "/img/b.jpg");
    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
    List<String> outputs = new ArrayList<>();
    for (JsonNode image : status.get("products").get(0).get("images")) {
      outputs.add(image.get("outputUrl").asString());
    }
    assertThat(outputs).hasSize(2);
    assertThat(api.getBytes(outputs.getFirst()).statusCode()).isEqualTo(200);
    assertThat(api.get("/csv/" + id).statusCode()).isEqualTo(200);

    HttpResponse<String> deleted = api.delete("/requests/" + id);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertNotFound(api.get("/status/" + id));
    assertNotFound(api.get("/csv/" + id));
    for (String output : outputs) {
      assertThat(api.getBytes(output).statusCode()).isEqualTo(404);
    }
    assertThat(emptyOrGone(folder(id))).isTrue();
    assertThat(api.get("/requests").body()).doesNotContain(id);
    HttpResponse<String> again = api.delete("/requests/" + id);
    assertNotFound(again);
    assertThat(api.json(again.body()).get("type").asString()).endsWith("request-not-found");
  }

  @Test
  void unknownIdsAre404AsForStatus() {
    assertNotFound(api.delete("/requests/00000000-0000-4000-8000-000000000000"));
    assertThat(api.delete("/requests/not-an-id").statusCode())
        .isEqualTo(api.get("/status/not-an-id").statusCode());
  }

  @Test
  void aRequestStillProcessingIsDeletedAndItsImageInFlightLeavesNothing() throws Exception {
    String id = upload("/held/1.jpg", "/img/c.jpg");
    assertThat(holding.await(30, TimeUnit.SECONDS)).as("an image is being fetched").isTrue();

    assertThat(api.delete("/requests/" + id).statusCode()).isEqualTo(204);
    release.countDown();

    assertNotFound(api.get("/status/" + id));
    await(() -> emptyOrGone(folder(id)));
    // The attempt that was in flight records its outcome within moments; nothing comes back.
    Thread.sleep(500);
    assertThat(emptyOrGone(folder(id))).isTrue();
    assertNotFound(api.get("/status/" + id));
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
