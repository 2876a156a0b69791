package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec.Size;
import org.junit.jupiter.api.Test;

class CodecSizeTest {

  @Test
  void scalesTheLongerSideToTheBoxAndKeepsTheAspect() {
    assertThat(new Size(4000, 3000).fitIn(320)).isEqualTo(new Size(320, 240));
    assertThat(new Size(3000, 4000).fitIn(320)).isEqualTo(new Size(240, 320));
    assertThat(new Size(1000, 333).fitIn(320)).isEqualTo(new Size(320, 107));
  }

  @Test
  void neverEnlargesNorMakesAnEmptySide() {
    assertThat(new Size(200, 100).fitIn(320)).isEqualTo(new Size(200, 100));
    assertThat(new Size(320, 320).fitIn(320)).isEqualTo(new Size(320, 320));
    assertThat(new Size(100000, 1).fitIn(320)).isEqualTo(new Size(320, 1));
    assertThatThrownBy(() -> new Size(10, 10).fitIn(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fitsABoxOfWidthHeightOrBothAndNeverEnlarges() {
    Size size = new Size(400, 200);
    assertThat(size.fitWithin(100, 0)).isEqualTo(new Size(100, 50));
    assertThat(size.fitWithin(0, 50)).isEqualTo(new Size(100, 50));
    assertThat(size.fitWithin(100, 100)).isEqualTo(new Size(100, 50));
    assertThat(size.fitWithin(150, 40)).isEqualTo(new Size(80, 40));
    assertThat(size.fitWithin(0, 0)).isEqualTo(size);
    assertThat(size.fitWithin(1000, 1000)).isEqualTo(size);
    assertThat(size.fitWithin(400, 0)).isEqualTo(size);
    assertThat(new Size(100000, 1).fitWithin(320, 0)).isEqualTo(new Size(320, 1));
    assertThat(new Size(333, 1000).fitWithin(0, 100)).isEqualTo(new Size(33, 100));
    assertThatThrownBy(() -> size.fitWithin(-1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
