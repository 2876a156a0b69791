package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.support.TestImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SniffStepTest {

  SniffStep step = new SniffStep();

  @Test
  void recognisesImagesByTheirBytes() {
    assertThat(step.sniff(TestImages.jpeg(8, 8, 0))).isEqualTo(ImageFormat.JPEG);
    assertThat(step.sniff(TestImages.png(8, 8))).isEqualTo(ImageFormat.PNG);
  }

  @Test
  void refusesHtmlPermanently() {
    byte[] html = "<!DOCTYPE html><html></html>".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> step.sniff(html))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> {
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).contains("HTML");
            });
  }
}
