package io.imgpress.processing.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.CodecImages;
import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrienterTest {

  private static final int W = 5;
  private static final int H = 3;
  private static final int TOP_LEFT = 0xFF0000;
  private static final int TOP_RIGHT = 0x00FF00;
  private static final int BOTTOM_LEFT = 0x0000FF;

  /**
   * The EXIF definition of each value, as the sides of the displayed picture where the stored first
   * row and first column end up; the expectations are derived from this table alone.
   */
  private static final String[][] FIRST_ROW_AND_COLUMN = {
    {},
    {"top", "left"},
    {"top", "right"},
    {"bottom", "right"},
    {"bottom", "left"},
    {"left", "top"},
    {"right", "top"},
    {"right", "bottom"},
    {"left", "bottom"},
  };

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void placesStoredCornersWhereTheExifDefinitionSays(int orientation) {
    BufferedImage stored = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    stored.setRGB(0, 0, TOP_LEFT);
    stored.setRGB(W - 1, 0, TOP_RIGHT);
    stored.setRGB(0, H - 1, BOTTOM_LEFT);

    BufferedImage shown = Orienter.apply(stored, orientation);

    boolean swapped = orientation >= 5;
    assertThat(shown.getWidth()).isEqualTo(swapped ? H : W);
    assertThat(shown.getHeight()).isEqualTo(swapped ? W : H);
    String row = FIRST_ROW_AND_COLUMN[orientation][0];
    String column = FIRST_ROW_AND_COLUMN[orientation][1];
    Point tl = corner(shown, row, column);
    Point tr = corner(shown, row, opposite(column));
    Point bl = corner(shown, opposite(row), column);
    assertThat(shown.getRGB(tl.x, tl.y) & 0xFFFFFF).isEqualTo(TOP_LEFT);
    assertThat(shown.getRGB(tr.x, tr.y) & 0xFFFFFF).isEqualTo(TOP_RIGHT);
    assertThat(shown.getRGB(bl.x, bl.y) & 0xFFFFFF).isEqualTo(BOTTOM_LEFT);
  }

  @Test
  void keepsEveryPixel() {
    BufferedImage stored = CodecImages.photoLike(7, 4);
    for (int o = 1; o <= 8; o++) {
      BufferedImage shown = Orienter.apply(stored, o);
      long sumStored = 0;
      long sumShown = 0;
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 7; x++) {
          sumStored += stored.getRGB(x, y) & 0xFFFFFF;
        }
      }
      for (int y = 0; y < shown.getHeight(); y++) {
        for (int x = 0; x < shown.getWidth(); x++) {
          sumShown += shown.getRGB(x, y) & 0xFFFFFF;
        }
      }
      assertThat(sumShown).as("orientation " + o).isEqualTo(sumStored);
    }
  }

  @Test
  void leavesNormalAndUnknownValuesAlone() {
    BufferedImage stored = CodecImages.filled(2, 1, BufferedImage.TYPE_INT_RGB, Color.RED);
    assertThat(Orienter.apply(stored, 1)).isSameAs(stored);
    assertThat(Orienter.apply(stored, 0)).isSameAs(stored);
    assertThat(Orienter.apply(stored, 9)).isSameAs(stored);
  }

  @Test
  void insistsOnOpaqueRgb() {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    assertThatThrownBy(() -> Orienter.apply(argb, 6)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void turnsTheDecodersByteLayoutToo() {
    BufferedImage bgr = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0xFF0000);
    bgr.setRGB(1, 0, 0x0000FF);
    BufferedImage turned = Orienter.apply(bgr, 6); // 90° clockwise: left column becomes the top
    assertThat(turned.getWidth()).isEqualTo(1);
    assertThat(turned.getHeight()).isEqualTo(2);
    assertThat(turned.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(turned.getRGB(0, 1) & 0xFFFFFF).isEqualTo(0x0000FF);
  }

  private static Point corner(BufferedImage image, String side1, String side2) {
    int x = side1.equals("right") || side2.equals("right") ? image.getWidth() - 1 : 0;
    int y = side1.equals("bottom") || side2.equals("bottom") ? image.getHeight() - 1 : 0;
    return new Point(x, y);
  }

  private static String opposite(String side) {
    return switch (side) {
      case "top" -> "bottom";
      case "bottom" -> "top";
      case "left" -> "right";
      default -> "left";
    };
  }
}
