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
import org.springframework.util.unit.DataSize;

class WorkerLanesTest {

  @Test
  void uploadsAndWebhookDeliveriesHaveWorkersOfTheirOwnAndImagesHaveNoLane() {
    ProcessingProperties processing =
        new ProcessingProperties(
            4,
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofSeconds(1),
            0,
            256,
            DataSize.ofBytes(0),
            3,
            Duration.ofSeconds(30));
    WebhookProperties webhook =
        new WebhookProperties(
            null, 10, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(10), 2);

    WorkerSettings settings = new WorkerLanes().workerSettings(processing, webhook);

    assertThat(settings.lanes())
        .containsExactlyInAnyOrder(
            new Lane("intake", Set.of(JobKind.INTAKE), 3),
            new Lane("webhook", Set.of(JobKind.WEBHOOK), 2));
    assertThat(settings.lease()).isEqualTo(Duration.ofMinutes(10));
  }
}
