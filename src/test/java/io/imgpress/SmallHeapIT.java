package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.JarProcess;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A flood of large images on a small heap slows the pipeline down instead of killing it: eight 20
 * MP photos, all downloaded at once, go through the portable engine (which decodes on the heap)
 * under {@code -Xmx512m}, and every one completes.
 */
class SmallHeapIT {

  static final int IMAGES = 8;

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
  void eightTwentyMegapixelPhotosCompleteUnderHalfAGigabyteOfHeap() throws Exception {
    byte[] photo = TestImages.jpeg(5472, 3648, 3);
    origin =
        new LoopbackServer().on("/", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", photo));
    Path dataDir = Files.createTempDirectory("imgpress-small-heap");
    int port = JarProcess.freePort();
    app =
        JarProcess.start(
            dataDir,
            port,
            List.of("-Xmx512m"),
            List.of("--imgpress.codec.engine=portable", "--imgpress.processing.workers=2"));
    String csv = JarProcess.oneImagePerRow(origin, IMAGES);
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);

    String id = api.json(api.upload(csv, Map.of()).body()).get("requestId").asString();
    JsonNode status = api.awaitFinal(id, Duration.ofMinutes(4));

    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(IMAGES);
    assertThat(status.get("failedImages").asInt()).isZero();
    assertThat(app.isAlive()).isTrue();
  }
}
