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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An attempt that outlives its lease (issue 9, "Lost lease, stuck image"): with a lease of 2 s, the
 * origin takes 4 s to answer, 503 the first time. Without renewal a second worker took the job
 * while the first still worked on it; the first one's retry then put the image back to pending
 * after the second had started, the second's completion was refused and the image stayed pending
 * with no job. The attempt must keep its lease, so the image has one owner at a time, completes,
 * and its request ends with one webhook.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LostLeaseEndToEndTest {

  static final byte[] JPEG = TestImages.jpeg(64, 48, 3);
  static final AtomicInteger fetches = new AtomicInteger();
  static final AtomicInteger inFlight = new AtomicInteger();
  static final AtomicInteger mostInFlight = new AtomicInteger();
  static final List<String> webhooks = new CopyOnWriteArrayList<>();
  static LoopbackServer origin;
  static LoopbackServer receiver;
  static Path dataDir;

  @LocalServerPort int port;

  @BeforeAll
  static void startServers() throws IOException {
    origin =
        new LoopbackServer()
            .on(
                "/slow.jpg",
                ex -> {
                  int call = fetches.incrementAndGet();
                  mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  try {
                    Thread.sleep(4000);
                    if (call == 1) {
                      LoopbackServer.respond(ex, 503, "text/plain", "busy".getBytes());
                    } else {
                      LoopbackServer.respond(ex, 200, "image/jpeg", JPEG);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    inFlight.decrementAndGet();
                  }
                });
    receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  webhooks.add(new String(ex.getRequestBody().readAllBytes()));
                  LoopbackServer.respond(ex, 204, "text/plain", new byte[0]);
                });
    dataDir = Files.createTempDirectory("imgpress-lease");
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
    registry.add("imgpress.processing.workers", () -> "2");
    registry.add("imgpress.processing.lease", () -> "2s");
    // Long enough that, without renewal, the second worker finishes before the retry is due.
    registry.add("imgpress.processing.initial-backoff", () -> "4s");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add("imgpress.webhook.secret", () -> "lease-test");
  }

  @Test
  void anAttemptLongerThanItsLeaseKeepsItAndTheRequestFinishesOnce() throws Exception {
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    String csv =
        "S. No.,Product Name,Input Image Urls\n1,SKU1,%s\n".formatted(origin.url("/slow.jpg"));
    HttpResponse<String> accepted = api.upload(csv, Map.of("webhookUrl", receiver.url("/hook")));
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(60));

    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(1);
    JsonNode image = status.get("products").get(0).get("images").get(0);
    assertThat(image.get("status").asString()).isEqualTo("completed");
    assertThat(mostInFlight.get()).as("one worker at a time on the image").isEqualTo(1);
    assertThat(fetches.get()).as("the 503, then one successful retry").isEqualTo(2);
    HttpResponse<byte[]> output = api.getBytes(image.get("outputUrl").asString());
    assertThat(output.statusCode()).isEqualTo(200);
    assertThat(image.get("outputBytes").asLong()).isEqualTo(output.body().length);

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (webhooks.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(1000); // room for a second delivery, which must not come
    assertThat(webhooks).hasSize(1);
    assertThat(webhooks.getFirst()).contains(id).contains("\"completed\"");
  }
}
