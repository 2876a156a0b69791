package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.storage.ImageStore;
import io.imgpress.support.ApiClient;
import io.imgpress.support.CloudinaryStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The service (default H2 store) with {@code imgpress.storage=cloudinary} against the loopback
 * Cloudinary: the store is the Cloudinary one and the readiness check pings the account.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CloudinaryStorageWiringTest {

  static CloudinaryStub cloudinary;
  static Path dataDir;

  @LocalServerPort int port;
  @Autowired ImageStore store;

  @BeforeAll
  static void start() throws IOException {
    cloudinary = new CloudinaryStub();
    dataDir = Files.createTempDirectory("imgpress-cloudinary-wiring");
  }

  @AfterAll
  static void stop() {
    cloudinary.close();
  }

  @DynamicPropertySource
  static void cloudinaryStorage(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.storage", () -> "cloudinary");
    registry.add("imgpress.storage.cloudinary.url", () -> cloudinary.cloudinaryUrl());
    registry.add("imgpress.storage.cloudinary.folder", () -> "wiring");
  }

  @Test
  void theStoreIsCloudinaryAndTheHealthCheckPingsIt() {
    assertThat(store.getClass().getSimpleName()).isEqualTo("CloudinaryImageStore");
    assertThat(store.toString()).isEqualTo("Cloudinary cloud imgpress-test under wiring/");

    JsonNode storage =
        new ApiClient("http://127.0.0.1:" + port)
            .json(new ApiClient("http://127.0.0.1:" + port).get("/actuator/health").body())
            .get("components")
            .get("storage");

    assertThat(storage.get("status").asString()).isEqualTo("UP");
    assertThat(storage.get("details").get("store").asString()).isEqualTo("CloudinaryImageStore");
    assertThat(cloudinary.pings()).isGreaterThanOrEqualTo(1);
    assertThat(cloudinary.publicIds()).as("the health check leaves no asset").isEmpty();
  }
}
