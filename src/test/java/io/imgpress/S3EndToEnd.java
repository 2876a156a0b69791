package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.S3ProxyServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service with {@code imgpress.storage=s3} against a real S3 server on loopback (S3Proxy),
 * credentials from the AWS SDK's default chain (its {@code aws.accessKeyId} / {@code
 * aws.secretAccessKey} system properties here), and a loopback origin serving one image.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class S3EndToEnd {

  static final byte[] SOURCE = TestImages.jpeg(320, 240, 7);

  static S3ProxyServer s3;
  static String bucket;
  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  ApiClient api;

  @BeforeAll
  static void startServers() throws IOException {
    s3 = S3ProxyServer.shared();
    bucket = s3.createBucket();
    origin =
        new LoopbackServer()
            .on("/img/", ex -> LoopbackServer.respond(ex, 200, "image/jpeg", SOURCE));
    dataDir = Files.createTempDirectory("imgpress-s3-e2e");
    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @DynamicPropertySource
  static void s3Storage(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add("imgpress.storage", () -> "s3");
    registry.add("imgpress.storage.s3.bucket", () -> bucket);
    registry.add("imgpress.storage.s3.endpoint", () -> s3.endpoint().toString());
    registry.add("imgpress.storage.s3.path-style", () -> "true");
  }

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port);
  }

  /** Uploads a CSV of one image and returns the request's final status. */
  JsonNode processOneImage() {
    String csv =
        "S. No.,Product Name,Input Image Urls\n1,SKU1,%s\n".formatted(origin.url("/img/a.jpg"));
    String id = api.json(api.upload(csv, Map.of()).body()).get("requestId").asString();
    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
    assertThat(status.get("status").asString()).isEqualTo("completed");
    assertThat(status.get("failedImages").asInt()).isZero();
    return status;
  }

  static JsonNode onlyImage(JsonNode status) {
    return status.get("products").get(0).get("images").get(0);
  }

  byte[] objectBytes(String key) {
    return s3.admin().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  /** The result CSV's output column of its only row. */
  String csvOutputUrl(String requestId) {
    String[] lines = api.get("/csv/" + requestId).body().split("\r\n");
    assertThat(lines).hasSize(2);
    String row = lines[1];
    return row.substring(row.lastIndexOf(",\"") + 2, row.length() - 1);
  }
}
