package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  @Test
  void signsTimestampDotBodyWithHmacSha256() {
    // Reference value: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    String signature =
        new WebhookSigner("secret".getBytes(StandardCharsets.UTF_8))
            .sign(1700000000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(signature)
        .isEqualTo("v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
  }

  @Test
  void anyChangeToBodyOrTimestampChangesTheSignature() {
    WebhookSigner signer = new WebhookSigner("secret".getBytes(StandardCharsets.UTF_8));
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(signer.sign(1, body)).isNotEqualTo(signer.sign(2, body));
    assertThat(signer.sign(1, body))
        .isNotEqualTo(signer.sign(1, "{ }".getBytes(StandardCharsets.UTF_8)));
    assertThat(new WebhookSigner("other".getBytes(StandardCharsets.UTF_8)).sign(1, body))
        .isNotEqualTo(signer.sign(1, body));
  }
}
