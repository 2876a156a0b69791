package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.queue.WorkerSettings.Lane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  static final Lane LANE = new Lane("all", EnumSet.allOf(JobKind.class), 1);

  @Test
  void theShortestLeaseThatCanBeRenewedIsThreeMilliseconds() {
    assertThat(
            new WorkerSettings(List.of(LANE), Duration.ofMillis(3), Duration.ofMillis(1)).lease())
        .isEqualTo(Duration.ofMillis(3));
    assertThatThrownBy(
            () -> new WorkerSettings(List.of(LANE), Duration.ofMillis(2), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease");
  }

  @Test
  void lanesAreCopied() {
    List<Lane> lanes = new ArrayList<>(List.of(LANE));
    WorkerSettings settings =
        new WorkerSettings(lanes, Duration.ofSeconds(1), Duration.ofMillis(1));
    lanes.clear();
    assertThat(settings.lanes()).containsExactly(LANE);
  }

  @Test
  void aLaneNeedsWorkersAndKinds() {
    assertThat(new Lane("one", Set.of(JobKind.IMAGE), 1).workers()).isEqualTo(1);
    assertThatThrownBy(() -> new Lane("none", Set.of(JobKind.IMAGE), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none");
    assertThatThrownBy(() -> new Lane("idle", Set.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idle");
  }
}
