package io.imgpress.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.NewRequest.NewProduct;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WebhookLog} adapter must do; each adapter's test extends this. The log is read
 * back through the {@link RequestRepository} of the same store, as {@code /status} reads it.
 */
public abstract class WebhookLogContract {

  protected abstract WebhookLog webhookLog();

  protected abstract RequestRepository requests();

  private UUID stage(String webhook) {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(), 50, webhook, List.of(new NewProduct(1, "a", List.of("http://x/1"))));
    requests().stage(request);
    return request.id();
  }

  private Request.Webhook webhook(UUID requestId) {
    return requests().find(requestId).orElseThrow().webhook();
  }

  @Test
  void recordsAFailedAttemptWithItsReason() {
    UUID id = stage("http://hook.test/x");
    assertThat(webhookLog().record(id, WebhookStatus.PENDING, 1, "HTTP 500 from receiver"))
        .isTrue();
    assertThat(webhook(id))
        .isEqualTo(
            new Request.Webhook(
                "http://hook.test/x", WebhookStatus.PENDING, 1, "HTTP 500 from receiver"));
  }

  @Test
  void theAttemptThatWasRetriedMaySettleIt() {
    UUID id = stage("http://hook.test/x");
    webhookLog().record(id, WebhookStatus.PENDING, 1, "HTTP 500 from receiver");
    assertThat(webhookLog().record(id, WebhookStatus.DELIVERED, 2, null)).isTrue();
    assertThat(webhook(id).status()).isEqualTo(WebhookStatus.DELIVERED);
    assertThat(webhook(id).attempts()).isEqualTo(2);
    assertThat(webhook(id).error()).isNull();
  }

  @Test
  void aDuplicateOfTheSameAttemptMaySettleIt() {
    UUID id = stage("http://hook.test/x");
    // Two runs of one job (the first outlived its lease) both make attempt 1: one fails, the other
    // gets through; the delivery counts.
    webhookLog().record(id, WebhookStatus.PENDING, 1, "no answer");
    assertThat(webhookLog().record(id, WebhookStatus.DELIVERED, 1, null)).isTrue();
    assertThat(webhook(id).status()).isEqualTo(WebhookStatus.DELIVERED);
  }

  @Test
  void aDeliveredWebhookNeverGoesBackToPending() {
    UUID id = stage("http://hook.test/x");
    webhookLog().record(id, WebhookStatus.DELIVERED, 1, null);
    assertThat(webhookLog().record(id, WebhookStatus.PENDING, 1, "no answer")).isFalse();
    assertThat(webhookLog().record(id, WebhookStatus.PENDING, 2, "no answer")).isFalse();
    assertThat(webhookLog().record(id, WebhookStatus.FAILED, 10, "no answer")).isFalse();
    assertThat(webhook(id))
        .isEqualTo(new Request.Webhook("http://hook.test/x", WebhookStatus.DELIVERED, 1, null));
  }

  @Test
  void aFailedWebhookStaysFailed() {
    UUID id = stage("http://hook.test/x");
    webhookLog().record(id, WebhookStatus.FAILED, 10, "HTTP 500 from receiver");
    assertThat(webhookLog().record(id, WebhookStatus.PENDING, 10, "no answer")).isFalse();
    assertThat(webhookLog().record(id, WebhookStatus.DELIVERED, 11, null)).isFalse();
    assertThat(webhook(id))
        .isEqualTo(
            new Request.Webhook(
                "http://hook.test/x", WebhookStatus.FAILED, 10, "HTTP 500 from receiver"));
  }

  @Test
  void aStaleRetryIsIgnored() {
    UUID id = stage("http://hook.test/x");
    webhookLog().record(id, WebhookStatus.PENDING, 3, "HTTP 502 from receiver");
    assertThat(webhookLog().record(id, WebhookStatus.PENDING, 2, "HTTP 500 from receiver"))
        .isFalse();
    assertThat(webhook(id))
        .isEqualTo(
            new Request.Webhook(
                "http://hook.test/x", WebhookStatus.PENDING, 3, "HTTP 502 from receiver"));
  }

  @Test
  void aStaleDeliveryStillSettlesButAttemptsNeverDecrease() {
    // A run that outlived its lease got through while a newer run recorded a failed attempt 3:
    // the receiver has its webhook, and three attempts were made.
    UUID id = stage("http://hook.test/x");
    webhookLog().record(id, WebhookStatus.PENDING, 3, "HTTP 502 from receiver");
    assertThat(webhookLog().record(id, WebhookStatus.DELIVERED, 2, null)).isTrue();
    assertThat(webhook(id))
        .isEqualTo(new Request.Webhook("http://hook.test/x", WebhookStatus.DELIVERED, 3, null));
  }

  @Test
  void aLongReasonIsShortenedToFit() {
    UUID id = stage("http://hook.test/x");
    webhookLog().record(id, WebhookStatus.PENDING, 1, "x".repeat(5_000));
    assertThat(webhook(id).error()).isNotEmpty().hasSizeLessThanOrEqualTo(500);
  }

  @Test
  void changesNothingOnARequestWithoutWebhookOrAnUnknownOne() {
    UUID without = stage(null);
    assertThat(webhookLog().record(without, WebhookStatus.DELIVERED, 1, null)).isFalse();
    assertThat(webhook(without)).isNull();
    assertThat(webhookLog().record(UUID.randomUUID(), WebhookStatus.DELIVERED, 1, null)).isFalse();
  }
}
