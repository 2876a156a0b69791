package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** With a public base URL (a CDN in front of the bucket), outputs link there. */
class S3PublicBaseUrlEndToEndTest extends S3EndToEnd {

  static final String CDN = "https://cdn.example.com/imgpress";

  @DynamicPropertySource
  static void cdn(DynamicPropertyRegistry registry) {
    registry.add("imgpress.storage.s3.public-base-url", () -> CDN + "/");
    registry.add("imgpress.storage.s3.key-prefix", () -> "outputs/");
  }

  @Test
  void outputUrlsPointAtThePublicBaseUrlAndTheObjectBehindIt() {
    JsonNode status = processOneImage();
    String id = status.get("requestId").asString();
    JsonNode image = onlyImage(status);
    String file = image.get("imageId").asLong() + ".jpg";
    String key = "outputs/" + id + "/" + file;

    assertThat(image.get("outputUrl").asString()).isEqualTo(CDN + "/" + key);
    assertThat(csvOutputUrl(id)).isEqualTo(CDN + "/" + key);
    String previewKey = key.replace(".jpg", "-before.jpg");
    assertThat(s3.objects(bucket)).containsExactlyInAnyOrder(key, previewKey);
    assertThat(image.get("previewUrl").asString()).isEqualTo(CDN + "/" + previewKey);
    byte[] stored = objectBytes(key);
    assertThat(image.get("outputBytes").asLong()).isEqualTo(stored.length);
    // The service still serves the object itself, for whoever has its path.
    assertThat(api.getBytes("/images/" + id + "/" + file).body()).isEqualTo(stored);
  }
}
