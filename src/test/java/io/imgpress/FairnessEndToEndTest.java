package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
 * Requests take turns: a small upload sent while a big one is being worked through finishes long
 * before the big one, instead of waiting behind all of its images. The origin takes a little time
 * per image, so that the big upload lasts seconds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FairnessEndToEndTest {

  static final int BIG_ROWS = 6;
  static final int URLS_PER_ROW = 50;
  static final int BIG = BIG_ROWS * URLS_PER_ROW;
  static final int SMALL = 3;
  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    byte[] image = TestImages.jpeg(16, 16, 1);
    origin =
        new LoopbackServer()
            .on(
                "/img/",
                ex -> {
                  try {
                    Thread.sleep(30);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "image/jpeg", image);
                });
    dataDir = Files.createTempDirectory("imgpress-fairness");
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.workers", () -> "2");
    // A later request waits at most for the images already in flight; a small window and two
    // downloads at a time keep the big upload going for seconds, so the turns show.
    registry.add("imgpress.processing.max-in-flight", () -> "8");
    registry.add("imgpress.fetch.max-concurrent-per-host", () -> "2");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
  }

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port);
  }

  @Test
  void aSmallUploadFinishesLongBeforeABigOneSentEarlier() {
    String big = upload("big", BIG_ROWS, URLS_PER_ROW);
    awaitProcessed(big, 5);

    String small = upload("small", 1, SMALL);
    JsonNode smallDone = api.awaitFinal(small, Duration.ofSeconds(60));
    JsonNode bigMeanwhile = status(big);

    assertThat(smallDone.get("status").asString()).isEqualTo("completed");
    assertThat(smallDone.get("processedImages").asInt()).isEqualTo(SMALL);
    assertThat(bigMeanwhile.get("status").asString()).isEqualTo("processing");
    assertThat(bigMeanwhile.get("processedImages").asInt())
        .as("the big upload had most of its images still to do")
        .isLessThan(BIG / 2);

    JsonNode bigDone = api.awaitFinal(big, Duration.ofSeconds(120));
    assertThat(bigDone.get("status").asString()).isEqualTo("completed");
    assertThat(bigDone.get("processedImages").asInt()).isEqualTo(BIG);
  }

  private String upload(String name, int rows, int urlsPerRow) {
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    for (int row = 1; row <= rows; row++) {
      csv.append(row).append(',').append(name).append(row).append(",\"");
      for (int i = 1; i <= urlsPerRow; i++) {
        csv.append(i == 1 ? "" : ",")
            .append(origin.url("/img/%s/%d/%d.jpg".formatted(name, row, i)));
      }
      csv.append("\"\n");
    }
    HttpResponse<String> accepted = api.upload(csv.toString(), Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    return api.json(accepted.body()).get("requestId").asString();
  }

  private JsonNode status(String id) {
    return api.json(api.get("/status/" + id).body());
  }

  private void awaitProcessed(String id, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (status(id).get("processedImages").asInt() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("request " + id + " did not get going");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
