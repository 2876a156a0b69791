package io.imgpress.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stub really checks what Cloudinary checks: requests signed by hand here, so that a wrong
 * signature, a changed parameter and an old timestamp can be sent at all (the SDK only sends right
 * ones).
 */
class CloudinaryStubTest {

  static CloudinaryStub stub;
  static HttpClient client;

  @BeforeAll
  static void start() {
    stub = new CloudinaryStub();
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    stub.close();
  }

  @Test
  void signsAsCloudinaryDocumentsIt() {
    // The example of Cloudinary's support article "How to generate a Cloudinary signature on my
    // own": public_id=sample_image&timestamp=1315060510 with the secret abcd.
    Map<String, String> params =
        Map.of("public_id", "sample_image", "timestamp", "1315060510", "api_key", "ignored");
    assertThat(CloudinaryStub.signature(params, "abcd", "SHA-1", true))
        .isEqualTo("b4ad47fb4e25c7bf5f92a20089f9db59bc302313");
  }

  @Test
  void aRightlySignedUploadIsStoredAndDelivered() throws Exception {
    Map<String, String> params = params("hand/right", now());
    params.put(
        "signature", CloudinaryStub.signature(params, CloudinaryStub.API_SECRET, "SHA-1", true));

    HttpResponse<String> answer = upload(params, new byte[] {1, 2, 3});

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"public_id\":\"hand/right\"", "\"bytes\":3", "\"existing\":false");
    HttpResponse<byte[]> delivered =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(stub.deliveryPrefix() + "/image/upload/hand/right.jpg"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(delivered.body()).containsExactly(1, 2, 3);
  }

  @Test
  void aSha256SignatureIsAcceptedToo() throws Exception {
    Map<String, String> params = params("hand/sha256", now());
    params.put(
        "signature", CloudinaryStub.signature(params, CloudinaryStub.API_SECRET, "SHA-256", true));

    assertThat(upload(params, new byte[] {4}).statusCode()).isEqualTo(200);
  }

  @Test
  void aWrongSignatureIsRefusedWithCloudinarysErrorShape() throws Exception {
    Map<String, String> params = params("hand/wrong", now());
    params.put("signature", CloudinaryStub.signature(params, "not-the-secret", "SHA-1", true));

    HttpResponse<String> answer = upload(params, new byte[] {1});

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body())
        .startsWith("{\"error\":{\"message\":\"Invalid Signature ")
        .contains("String to sign - 'overwrite=false&public_id=hand/wrong&timestamp=");
    assertThat(stub.publicIds()).doesNotContain("hand/wrong");
  }

  @Test
  void aParameterChangedAfterSigningIsRefused() throws Exception {
    Map<String, String> params = params("hand/signed", now());
    params.put(
        "signature", CloudinaryStub.signature(params, CloudinaryStub.API_SECRET, "SHA-1", true));
    params.put("public_id", "hand/other");

    assertThat(upload(params, new byte[] {1}).statusCode()).isEqualTo(401);
    assertThat(stub.publicIds()).doesNotContain("hand/signed", "hand/other");
  }

  @Test
  void aTimestampMoreThanAnHourOldIsRefused() throws Exception {
    long old = now() - Duration.ofMinutes(61).toSeconds();
    Map<String, String> params = params("hand/stale", old);
    params.put(
        "signature", CloudinaryStub.signature(params, CloudinaryStub.API_SECRET, "SHA-1", true));

    HttpResponse<String> answer = upload(params, new byte[] {1});

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains("Stale request - reported time is", "more than 1 hour ago");

    Map<String, String> recent = params("hand/recent", now() - Duration.ofMinutes(59).toSeconds());
    recent.put(
        "signature", CloudinaryStub.signature(recent, CloudinaryStub.API_SECRET, "SHA-1", true));
    assertThat(upload(recent, new byte[] {1}).statusCode()).isEqualTo(200);
  }

  @Test
  void theServersClockJudgesTheTimestamp() throws Exception {
    Map<String, String> params = params("hand/clock", now());
    params.put(
        "signature", CloudinaryStub.signature(params, CloudinaryStub.API_SECRET, "SHA-1", true));
    stub.clock(Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC));
    try {
      assertThat(upload(params, new byte[] {1}).statusCode()).isEqualTo(401);
    } finally {
      stub.clock(Clock.systemUTC());
    }
  }

  @Test
  void anUnknownApiKeyAndAPingWithoutCredentialsAreRefused() throws Exception {
    Map<String, String> params = params("hand/key", now());
    params.put("api_key", "000");
    params.put(
        "signature", CloudinaryStub.signature(params, CloudinaryStub.API_SECRET, "SHA-1", true));
    assertThat(upload(params, new byte[] {1}).statusCode()).isEqualTo(401);

    HttpResponse<String> ping =
        client.send(
            HttpRequest.newBuilder(URI.create(stub.uploadUrl().replace("/image/upload", "/ping")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(401);
    assertThat(ping.body()).contains("\"error\"");
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static Map<String, String> params(String publicId, long timestamp) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("public_id", publicId);
    params.put("overwrite", "false");
    params.put("timestamp", Long.toString(timestamp));
    params.put("api_key", CloudinaryStub.API_KEY);
    return params;
  }

  /** A multipart upload as the SDK sends one: text fields, then the file. */
  private static HttpResponse<String> upload(Map<String, String> params, byte[] file)
      throws Exception {
    String boundary = "stub-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> param : params.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + param.getKey()
                  + "\"\r\n\r\n"
                  + param.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(file);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return client.send(
        HttpRequest.newBuilder(URI.create(stub.uploadUrl()))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
