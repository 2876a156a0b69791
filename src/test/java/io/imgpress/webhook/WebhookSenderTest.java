package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

  @Test
  void theDeadlineReasonReadsInWholeSecondsWhenItCan() {
    assertThat(WebhookSender.noAnswerWithin(Duration.ofSeconds(10)))
        .isEqualTo("no answer within 10s");
    assertThat(WebhookSender.noAnswerWithin(Duration.ofMinutes(2)))
        .isEqualTo("no answer within 120s");
    assertThat(WebhookSender.noAnswerWithin(Duration.ofMillis(1_500)))
        .isEqualTo("no answer within 1500ms");
    assertThat(WebhookSender.noAnswerWithin(Duration.ofMillis(250)))
        .isEqualTo("no answer within 250ms");
  }
}
