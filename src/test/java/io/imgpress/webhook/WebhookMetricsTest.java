package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class WebhookMetricsTest {

  final MeterRegistry registry = new SimpleMeterRegistry();
  final WebhookMetrics metrics = new WebhookMetrics(registry);

  @Test
  void countsEachAttemptUnderItsOutcome() {
    assertThat(count("failed")).as("alertable from the start").isZero();

    metrics.retry();
    metrics.retry();
    metrics.delivered();
    metrics.failed();

    assertThat(count("retry")).isEqualTo(2);
    assertThat(count("delivered")).isEqualTo(1);
    assertThat(count("failed")).isEqualTo(1);
  }

  private double count(String outcome) {
    return registry.get(WebhookMetrics.DELIVERIES).tag("outcome", outcome).counter().count();
  }
}
