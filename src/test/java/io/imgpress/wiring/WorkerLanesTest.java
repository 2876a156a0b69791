package io.imgpress.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.ProcessingProperties;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.WorkerSettings;
import io.imgpress.queue.WorkerSettings.Lane;
import io.imgpress.webhook.WebhookProperties;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerLanesTest {

  @Test
  void webhookDeliveriesHaveWorkersOfTheirOwnAndImageWorkersNeverDeliver() {
    ProcessingProperties processing =
        new ProcessingProperties(
            4,
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofSeconds(1),
            0);
    WebhookProperties webhook =
        new WebhookProperties(
            null, 10, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(10), 2);

    WorkerSettings settings = new WorkerLanes().workerSettings(processing, webhook);

    assertThat(settings.lanes())
        .containsExactlyInAnyOrder(
            new Lane("worker", Set.of(JobKind.INTAKE, JobKind.IMAGE), 4),
            new Lane("webhook", Set.of(JobKind.WEBHOOK), 2));
    assertThat(settings.lease()).isEqualTo(Duration.ofMinutes(10));
  }
}
