package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.JarProcess;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the packaged jar as a real process, kills it with SIGKILL in the middle of a batch and
 * starts it again on the same data dir: every image must end completed, with its output, and the
 * counters must match the image rows.
 */
class CrashRecoveryIT {

  static final int IMAGES = 40;

  LoopbackServer origin;
  Process app;

  @AfterEach
  void cleanUp() {
    if (app != null) {
      app.destroyForcibly();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void killedMidBatchLosesNothing() throws Exception {
    byte[] jpeg = TestImages.jpeg(800, 600, 7);
    origin =
        new LoopbackServer()
            .on(
                "/",
                ex -> {
                  JarProcess.sleep(
                      150); // a slow origin keeps the batch running long enough to kill it
                  LoopbackServer.respond(ex, 200, "image/jpeg", jpeg);
                });
    Path dataDir = Files.createTempDirectory("imgpress-crash");
    int port = JarProcess.freePort();
    String csv = JarProcess.oneImagePerRow(origin, IMAGES);

    app = start(dataDir, port);
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    String id = api.json(api.upload(csv, Map.of()).body()).get("requestId").asString();
    awaitProcessed(api, id, 3);
    app.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks run
    app = start(dataDir, port);

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(120));
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(IMAGES);
    assertThat(status.get("failedImages").asInt()).isZero();
    List<JsonNode> images =
        status.get("products").valueStream().flatMap(p -> p.get("images").valueStream()).toList();
    assertThat(images).hasSize(IMAGES);
    for (JsonNode image : images) {
      assertThat(image.get("status").asString()).isEqualTo("completed");
      var output = api.getBytes(image.get("outputUrl").asString());
      assertThat(output.statusCode()).isEqualTo(200);
      assertThat(TestImages.decode(output.body()).getWidth()).isEqualTo(800);
    }
  }

  private static Process start(Path dataDir, int port) throws IOException {
    // Two downloads at a time from the slow origin keep the batch going for seconds.
    return JarProcess.start(
        dataDir,
        port,
        List.of(),
        List.of("--imgpress.processing.workers=2", "--imgpress.fetch.max-concurrent-per-host=2"));
  }

  private static void awaitProcessed(ApiClient api, String id, int atLeast) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = api.json(api.get("/status/" + id).body());
      int processed = status.get("processedImages").asInt();
      if (processed >= atLeast) {
        assertThat(processed).as("killed before the batch finished").isLessThan(IMAGES);
        return;
      }
      JarProcess.sleep(20);
    }
    throw new AssertionError("nothing processed in 30 s");
  }
}
