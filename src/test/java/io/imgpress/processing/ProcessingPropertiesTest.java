package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ProcessingPropertiesTest {

  @Test
  void theDeliveryBoundDefaultsToTwoMoreThanTheAttempts() {
    assertThat(properties(3, 0).deliveryBound()).isEqualTo(5);
    assertThat(properties(3, 8).deliveryBound()).isEqualTo(8);
  }

  @Test
  void aDeliveryBoundBelowTheAttemptsIsRefused() {
    assertThatThrownBy(() -> properties(3, 2))
        .hasMessageContaining("max-deliveries (2) must be at least max-attempts (3)");
  }

  private static ProcessingProperties properties(int maxAttempts, int maxDeliveries) {
    return new ProcessingProperties(
        4,
        maxAttempts,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        Duration.ofMinutes(10),
        Duration.ofSeconds(1),
        maxDeliveries,
        256,
        DataSize.ofBytes(0),
        2,
        Duration.ofSeconds(30));
  }
}
