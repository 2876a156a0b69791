package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * With the default settings the service must not be a door into the network it runs in: loopback
 * sources and odd spellings of loopback are refused at fetch, a loopback webhook at upload, and the
 * origin never sees a request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutboundGuardEndToEndTest {

  static final AtomicInteger hits = new AtomicInteger();
  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;

  @BeforeAll
  static void start() throws IOException {
    byte[] jpeg = TestImages.jpeg(64, 64, 1);
    origin =
        new LoopbackServer()
            .on(
                "/",
                ex -> {
                  hits.incrementAndGet();
                  LoopbackServer.respond(ex, 200, "image/jpeg", jpeg);
                });
    dataDir = Files.createTempDirectory("imgpress-guard");
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
  }

  @Test
  void refusesALoopbackWebhookAtUpload() {
    // Refused at once, like a bad image URL at fetch, instead of accepted and retried for twenty
    // minutes; the delivery-time guard still checks every connection (see HttpWebhookSenderTest).
    ApiClient api = new ApiClient("http://127.0.0.1:" + this.port);
    String csv = "S. No.,Product Name,Input Image Urls\n1,a,%s\n".formatted(origin.url("/a.jpg"));
    int before = api.json(api.get("/requests").body()).get("items").size();
    for (String hook :
        List.of(origin.url("/hook"), "http://localhost:" + origin.port() + "/hook")) {
      var refused = api.upload(csv, Map.of("webhookUrl", hook));
      assertThat(refused.statusCode()).as(hook).isEqualTo(400);
      JsonNode problem = api.json(refused.body());
      assertThat(problem.get("field").asString()).isEqualTo("webhookUrl");
      assertThat(problem.get("detail").asString())
          .startsWith("webhookUrl must point to a public address")
          .contains("loopback");
    }
    assertThat(api.json(api.get("/requests").body()).get("items").size())
        .as("nothing stored")
        .isEqualTo(before);
    assertThat(hits.get()).isZero();
  }

  @Test
  void refusesLoopbackSources() {
    String port = origin.url("/").replaceAll(".*:(\\d+)/$", "$1");
    String csv =
        "S. No.,Product Name,Input Image Urls\n"
            + "1,direct,%s\n".formatted(origin.url("/a.jpg"))
            + "2,decimal,http://2130706433:%s/a.jpg\n".formatted(port)
            + "3,localhost,http://localhost:%s/a.jpg\n".formatted(port)
            + "4,mapped,http://[::ffff:127.0.0.1]:%s/a.jpg\n".formatted(port);
    ApiClient api = new ApiClient("http://127.0.0.1:" + this.port);
    var accepted = api.upload(csv, Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = api.json(accepted.body()).get("requestId").asString();

    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(20));
    assertThat(status.get("status").asString()).isEqualTo("failed");
    assertThat(status.get("failedImages").asInt()).isEqualTo(4);
    status
        .get("products")
        .forEach(
            p ->
                assertThat(p.get("images").get(0).get("error").asString())
                    .containsIgnoringCase("not allowed"));

    assertThat(hits.get()).isZero();
  }
}
