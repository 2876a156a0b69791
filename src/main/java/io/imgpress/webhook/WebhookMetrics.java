package io.imgpress.webhook;

import io.imgpress.ConditionalOnWorkerRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code imgpress.webhook.deliveries} (outcome = delivered | retry | failed): one count per
 * attempt. {@code failed} means a receiver never got its webhook after every attempt.
 */
@ConditionalOnWorkerRole
@Component
class WebhookMetrics {

  static final String DELIVERIES = "imgpress.webhook.deliveries";

  private final Counter delivered;
  private final Counter retry;
  private final Counter failed;

  WebhookMetrics(MeterRegistry registry) {
    this.delivered = counter(registry, "delivered");
    this.retry = counter(registry, "retry");
    this.failed = counter(registry, "failed");
  }

  void delivered() {
    delivered.increment();
  }

  void retry() {
    retry.increment();
  }

  void failed() {
    failed.increment();
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder(DELIVERIES)
        .description("Webhook delivery attempts by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
