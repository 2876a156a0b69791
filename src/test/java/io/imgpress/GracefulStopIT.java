package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.JarProcess;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the packaged jar as a real process and stops it with SIGTERM while every image of a batch
 * hangs mid-download: readiness answers 503 while the process still serves, the process exits once
 * the stop timeout is over, and the images are back in the queue untouched (pending, no attempt
 * counted, their jobs unleased and due, no delivery counted). Started again, it finishes them all.
 */
class GracefulStopIT {

  static final int IMAGES = 8;

  LoopbackServer origin;
  Process app;
  final CountDownLatch originAnswers = new CountDownLatch(1);

  @AfterEach
  void cleanUp() {
    originAnswers.countDown();
    if (app != null) {
      app.destroyForcibly();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  void sigtermHandsBackTheImagesInFlightAndLosesNothing() throws Exception {
    byte[] jpeg = TestImages.jpeg(400, 300, 9);
    origin =
        new LoopbackServer()
            .on(
                "/",
                ex -> {
                  try {
                    originAnswers.await(120, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "image/jpeg", jpeg);
                });
    Path dataDir = Files.createTempDirectory("imgpress-sigterm");
    int port = JarProcess.freePort();
    app = start(dataDir, port);
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    String id =
        api.json(api.upload(JarProcess.oneImagePerRow(origin, IMAGES), Map.of()).body())
            .get("requestId")
            .asString();
    awaitAllProcessing(api, id);

    long began = System.nanoTime();
    app.destroy(); // SIGTERM
    boolean sawNotReady = false;
    while (app.isAlive() && !sawNotReady) {
      try {
        sawNotReady = api.get("/actuator/health/readiness").statusCode() == 503;
      } catch (RuntimeException closed) {
        break; // the server stopped listening
      }
      JarProcess.sleep(50);
    }
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(sawNotReady).as("readiness answered 503 while the process stopped").isTrue();
    assertThat(took).as("the 2 s stop timeout bounds the stop").isLessThan(Duration.ofSeconds(30));
    assertThat(app.exitValue()).as("exit after SIGTERM").isIn(0, 143);
    assertThat(log(dataDir)).contains("unfinished 2 s after the stop began; handing them back");
    try (Connection db =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("imgpress").toAbsolutePath(), "sa", "");
        Statement sql = db.createStatement()) {
      assertThat(rows(sql, "select status || ' ' || attempts from images"))
          .hasSize(IMAGES)
          .allMatch(r -> r.equals("PENDING 0"));
      assertThat(
              rows(
                  sql,
                  "select kind || ' ' || coalesce(lease_token, 'unleased') || ' ' || deliveries"
                      + " from jobs"))
          .hasSize(IMAGES)
          .allMatch(r -> r.equals("IMAGE unleased 0"));
      assertThat(
              rows(
                  sql,
                  "select status || ' ' || processed_images || ' ' || failed_images from requests"))
          .containsExactly("PROCESSING 0 0");
    }

    originAnswers.countDown();
    app = start(dataDir, port);
    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(60));
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(IMAGES);
    assertThat(status.get("failedImages").asInt()).isZero();
  }

  private static Process start(Path dataDir, int port) throws IOException {
    return JarProcess.start(
        dataDir,
        port,
        List.of(),
        List.of("--imgpress.processing.stop-timeout=2s", "--imgpress.webhook.secret=test-secret"));
  }

  private static void awaitAllProcessing(ApiClient api, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = api.json(api.get("/status/" + id).body());
      JsonNode products = status.get("products");
      if (products != null
          && products.size() == IMAGES
          && products
              .valueStream()
              .flatMap(p -> p.get("images").valueStream())
              .allMatch(i -> i.get("status").asString().equals("processing"))) {
        return;
      }
      JarProcess.sleep(50);
    }
    throw new AssertionError("the images were not all in flight within 30 s");
  }

  private static List<String> rows(Statement sql, String query) throws Exception {
    try (ResultSet rs = sql.executeQuery(query)) {
      List<String> rows = new java.util.ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  private static String log(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir)) {
      StringBuilder all = new StringBuilder();
      for (Path log : files.filter(f -> f.getFileName().toString().startsWith("app-")).toList()) {
        all.append(Files.readString(log));
      }
      return all.toString();
    }
  }
}
