package io.imgpress.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

  @Test
  void theStandardWebhooksSignatureIsWhatTheSpecsLibraryVerifies() throws Exception {
    byte[] secret = "a-webhook-secret-of-some-length".getBytes(StandardCharsets.UTF_8);
    byte[] body = "{\"event\":\"request.completed\"}".getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    String signature = new WebhookSigner(secret).signStandard("msg_1", now, body);
    Webhook receiver = new Webhook("whsec_" + Base64.getEncoder().encodeToString(secret));

    receiver.verify(
        new String(body, StandardCharsets.UTF_8),
        Map.of(
            "webhook-id", List.of("msg_1"),
            "webhook-timestamp", List.of(Long.toString(now)),
            "webhook-signature", List.of(signature)));
    assertThat(signature).startsWith("v1,");
    assertThat(signature).isEqualTo(receiver.sign("msg_1", now, new String(body, UTF_8)));
    assertThatThrownBy(
            () ->
                receiver.verify(
                    "{}",
                    Map.of(
                        "webhook-id", List.of("msg_1"),
                        "webhook-timestamp", List.of(Long.toString(now)),
                        "webhook-signature", List.of(signature))))
        .isInstanceOf(WebhookVerificationException.class);
  }
}
