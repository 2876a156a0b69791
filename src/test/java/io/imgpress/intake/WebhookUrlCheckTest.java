package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class WebhookUrlCheckTest {

  private final WebhookUrlCheck check = new WebhookUrlCheck();

  private static String url(int length) {
    String prefix = "https://hooks.example/";
    return prefix + "x".repeat(length - prefix.length());
  }

  @Test
  void acceptsAWebhookUrlOfExactlyTheColumnWidth() {
    assertThat(check.check(url(2048))).isEqualTo(url(2048));
  }

  @Test
  void saysALongerWebhookUrlIsTooLongRatherThanMalformed() {
    InvalidUploadException e =
        catchThrowableOfType(InvalidUploadException.class, () -> check.check(url(2049)));

    assertThat(e.field()).isEqualTo("webhookUrl");
    assertThat(e.getMessage()).isEqualTo("webhookUrl is longer than 2048 characters");
  }

  @Test
  void refusesWhatIsNotAnAbsoluteHttpUrl() {
    InvalidUploadException e =
        catchThrowableOfType(InvalidUploadException.class, () -> check.check("ftp://x/y"));

    assertThat(e.getMessage()).isEqualTo("webhookUrl must be an absolute http(s) URL");
  }
}
