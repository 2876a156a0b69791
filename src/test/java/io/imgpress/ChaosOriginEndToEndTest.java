package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.ChaosOrigin;
import io.imgpress.support.TestImages;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * One request whose images all point at a hostile origin, one misbehaviour per image: every image
 * ends final with a precise reason, and the whole request within a bound computed from the
 * configured timeouts, so no misbehaviour can hold a download past them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChaosOriginEndToEndTest {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(3);
  static final int MAX_ATTEMPTS = 2;
  static final int MAX_REDIRECTS = 3;
  static final Duration MAX_BACKOFF = Duration.ofMillis(200);
  // The 429 asks for an hour; the service waits at most max-retry-after, for the image and its
  // host.
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(1);

  static ChaosOrigin origin;
  static ChaosOrigin silent;
  static Path dataDir;
  static byte[] jpeg;

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;

  @BeforeAll
  static void start() throws IOException {
    jpeg = TestImages.jpeg(64, 64, 1);
    byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
    origin =
        new ChaosOrigin()
            .on("/good.jpg", ChaosOrigin.ok("image/jpeg", jpeg))
            // A byte every 500 ms never trips the 1 s read timeout: only the total timeout can.
            .on("/slow-drip", ChaosOrigin.slowDrip(Duration.ofMillis(500)))
            .on("/reset", ChaosOrigin.shortBody(half, jpeg.length - half.length, true))
            .on("/declares-more", ChaosOrigin.shortBody(jpeg, 1000, false))
            .on(
                "/declares-less",
                ChaosOrigin.longBody(jpeg, "garbage after".getBytes(StandardCharsets.US_ASCII)))
            .on("/rate-limited", ChaosOrigin.rateLimited("3600"))
            .on("/redirect", ChaosOrigin.endlessRedirects("/redirect"));
    silent = ChaosOrigin.silent();
    dataDir = Files.createTempDirectory("imgpress-chaos");
  }

  @AfterAll
  static void stop() {
    origin.close();
    silent.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.fetch.connect-timeout", () -> CONNECT_TIMEOUT.toMillis() + "ms");
    registry.add("imgpress.fetch.read-timeout", () -> READ_TIMEOUT.toMillis() + "ms");
    registry.add("imgpress.fetch.total-timeout", () -> TOTAL_TIMEOUT.toMillis() + "ms");
    registry.add("imgpress.fetch.max-redirects", () -> Integer.toString(MAX_REDIRECTS));
    registry.add("imgpress.fetch.max-retry-after", () -> MAX_RETRY_AFTER.toMillis() + "ms");
    registry.add("imgpress.processing.max-attempts", () -> Integer.toString(MAX_ATTEMPTS));
    registry.add("imgpress.processing.initial-backoff", () -> "100ms");
    registry.add("imgpress.processing.max-backoff", () -> MAX_BACKOFF.toMillis() + "ms");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
  }

  @Test
  void everyImageEndsFinalWithAPreciseReasonWithinTheTimeouts() {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("good", origin.url("/good.jpg"));
    urls.put("slow-drip", origin.url("/slow-drip"));
    urls.put("reset", origin.url("/reset"));
    urls.put("declares-more", origin.url("/declares-more"));
    urls.put("declares-less", origin.url("/declares-less"));
    urls.put("rate-limited", origin.url("/rate-limited"));
    urls.put("redirect", origin.url("/redirect"));
    urls.put("silent", silent.url("/never"));
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    int row = 1;
    for (var entry : urls.entrySet()) {
      csv.append(row++).append(',').append(entry.getKey()).append(',').append(entry.getValue());
      csv.append('\n');
    }
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    var accepted = api.upload(csv.toString(), Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();

    // Each attempt of an image takes at most the total timeout (connect and read timeouts are
    // within it, redirects included), then waits at most the larger of max-backoff and the
    // source's Retry-After cut to max-retry-after before the next (the 429's host is paused as
    // long); so attempts x (total-timeout + that wait) bounds every image, all images being
    // downloaded at once. The slack covers polling (100 ms), the codec and
    // a slow CI machine, and is well under one more total timeout per attempt.
    Duration wait = MAX_BACKOFF.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_BACKOFF : MAX_RETRY_AFTER;
    Duration bound = TOTAL_TIMEOUT.plus(wait).multipliedBy(MAX_ATTEMPTS).plusSeconds(3);
    long started = System.nanoTime();
    JsonNode status = api.awaitFinal(id, bound);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isLessThan(bound);

    Map<String, JsonNode> images = new HashMap<>();
    status
        .get("products")
        .forEach(p -> images.put(p.get("productName").asString(), p.get("images").get(0)));
    assertThat(images).hasSize(urls.size());
    images.forEach(
        (name, image) ->
            assertThat(image.get("status").asString())
                .as(name + " is final: " + image)
                .isIn("completed", "failed"));

    assertThat(images.get("good").get("status").asString()).isEqualTo("completed");
    // The declared length is what the body is; what follows it on the connection is not the image.
    assertThat(images.get("declares-less").get("status").asString()).isEqualTo("completed");
    assertThat(images.get("declares-less").get("inputBytes").asLong()).isEqualTo(jpeg.length);

    assertThat(error(images, "slow-drip")).isEqualTo("download took longer than 3 s");
    assertThat(error(images, "reset")).isEqualTo("connection reset");
    assertThat(error(images, "declares-more"))
        .isEqualTo("body shorter than its Content-Length (connection closed early)");
    assertThat(error(images, "rate-limited")).isEqualTo("HTTP 429 from source");
    assertThat(error(images, "redirect")).isEqualTo("too many redirects (more than 3)");
    assertThat(error(images, "silent")).isEqualTo("read timed out");

    // Final with some images failed: a request fails only when every image does.
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("processedImages").asInt()).isEqualTo(urls.size());
    assertThat(status.get("failedImages").asInt()).isEqualTo(urls.size() - 2);

    // Retryable failures used every attempt, and no more; a redirect loop is not retried.
    assertThat(origin.hits("/rate-limited")).isEqualTo(MAX_ATTEMPTS);
    assertThat(origin.hits("/redirect")).isEqualTo(MAX_REDIRECTS + 1);

    assertThat(failed("timeout")).isEqualTo(2); // slow-drip, silent
    assertThat(failed("connection")).isEqualTo(2); // reset, declares-more
    assertThat(failed("http_4xx")).isEqualTo(1); // rate-limited
    assertThat(failed("other")).isEqualTo(1); // redirect
  }

  private static String error(Map<String, JsonNode> images, String name) {
    JsonNode image = images.get(name);
    assertThat(image.get("status").asString()).as(name + ": " + image).isEqualTo("failed");
    return image.get("error").asString();
  }

  private double failed(String reason) {
    var counter =
        meters
            .find("imgpress.images.processed")
            .tag("outcome", "failed")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
