package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Without a public base URL, outputs link to the service, which streams them from the bucket. */
class S3StorageEndToEndTest extends S3EndToEnd {

  @Test
  void outputsAreStoredInTheBucketAndServedByTheService() {
    JsonNode status = processOneImage();
    String id = status.get("requestId").asString();
    JsonNode image = onlyImage(status);
    String key = id + "/" + image.get("imageId").asLong() + ".jpg";
    String outputUrl = image.get("outputUrl").asString();

    assertThat(outputUrl).isEqualTo("http://localhost:" + port + "/images/" + key);
    assertThat(csvOutputUrl(id)).isEqualTo(outputUrl);
    String previewKey = key.replace(".jpg", "-before.jpg");
    assertThat(s3.objects(bucket)).containsExactlyInAnyOrder(key, previewKey);
    assertThat(image.get("previewUrl").asString())
        .isEqualTo("http://localhost:" + port + "/images/" + previewKey);
    assertThat(api.getBytes("/images/" + previewKey).body()).isEqualTo(objectBytes(previewKey));
    byte[] stored = objectBytes(key);
    assertThat(image.get("outputBytes").asLong()).isEqualTo(stored.length);

    HttpResponse<byte[]> served = api.getBytes("/images/" + key);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(stored);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(served.headers().firstValue("Content-Length")).hasValue("" + stored.length);
    assertThat(served.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
    String etag = served.headers().firstValue("ETag").orElseThrow();
    assertThat(etag)
        .isEqualTo(s3.admin().headObject(b -> b.bucket(bucket).key(key)).eTag())
        .as("the bucket's own ETag, quoted")
        .startsWith("\"");
    assertThat(api.revalidate("/images/" + key, etag).statusCode()).isEqualTo(304);
    assertThat(api.get("/images/" + id + "/999.jpg").statusCode()).isEqualTo(404);
  }

  @Test
  void theHealthCheckReachesTheBucket() {
    JsonNode storage =
        api.json(api.get("/actuator/health").body()).get("components").get("storage");

    assertThat(storage.get("status").asString()).isEqualTo("UP");
    assertThat(storage.get("details").get("store").asString()).isEqualTo("S3ImageStore");
  }
}
