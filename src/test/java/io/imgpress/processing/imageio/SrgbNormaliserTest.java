package io.imgpress.processing.imageio;

import static io.imgpress.processing.CodecImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.CodecImages;
import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class SrgbNormaliserTest {

  @Test
  void keepsIntRgbAsItIs() {
    BufferedImage rgb = CodecImages.filled(3, 3, BufferedImage.TYPE_INT_RGB, Color.ORANGE);
    assertThat(SrgbNormaliser.toSrgbOnWhite(rgb)).isSameAs(rgb);
  }

  @Test
  void keepsAnOpaqueSrgbDecodeAsItIs() {
    BufferedImage bgr = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
    assertThat(SrgbNormaliser.toSrgbOnWhite(bgr)).isSameAs(bgr);
  }

  @Test
  void flattensAlphaOnWhite() {
    BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00000000); // fully transparent black
    argb.setRGB(1, 0, 0x80FF0000); // half-transparent red
    argb.setRGB(2, 0, 0xFF0000FF); // opaque blue

    BufferedImage out = SrgbNormaliser.toSrgbOnWhite(argb);

    assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertRgb(out, 0, 0, 255, 255, 255, 0);
    assertRgb(out, 1, 0, 255, 127, 127, 2);
    assertRgb(out, 2, 0, 0, 0, 255, 0);
  }

  @Test
  void mapsGreyStraightToEqualChannels() {
    BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 100);
    assertRgb(SrgbNormaliser.toSrgbOnWhite(grey), 0, 0, 100, 100, 100, 0);

    BufferedImage grey16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(0, 0, 0, 100 * 257);
    assertRgb(SrgbNormaliser.toSrgbOnWhite(grey16), 0, 0, 100, 100, 100, 0);
  }

  @Test
  void flattensGreyWithAlphaOnWhite() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {0, 0}); // transparent
    raster.setPixel(1, 0, new int[] {0, 128}); // half-transparent black
    BufferedImage out = SrgbNormaliser.toSrgbOnWhite(new BufferedImage(cm, raster, false, null));
    assertRgb(out, 0, 0, 255, 255, 255, 0);
    assertRgb(out, 1, 0, 127, 127, 127, 1);
  }

  @Test
  void expandsPaletteWithTransparentEntry() {
    byte[] r = {(byte) 255, 0};
    byte[] g = {0, 0};
    byte[] b = {0, 0};
    IndexColorModel palette = new IndexColorModel(1, 2, r, g, b, 1);
    BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
    indexed.getRaster().setSample(0, 0, 0, 0);
    indexed.getRaster().setSample(1, 0, 0, 1);
    BufferedImage out = SrgbNormaliser.toSrgbOnWhite(indexed);
    assertRgb(out, 0, 0, 255, 0, 0, 0);
    assertRgb(out, 1, 0, 255, 255, 255, 0);
  }

  @Test
  void convertsOtherColourSpacesToSrgb() {
    // Linear-light 50 % grey is sRGB 188: a plain copy of the samples would give 128.
    ComponentColorModel linear =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = linear.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {128, 128, 128});
    BufferedImage out =
        SrgbNormaliser.toSrgbOnWhite(new BufferedImage(linear, raster, false, null));
    assertRgb(out, 0, 0, 188, 188, 188, 3);
  }

  @Test
  void convertsSixteenBitRgb() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {65535, 32896, 0, 65535});
    raster.setPixel(1, 0, new int[] {0, 0, 0, 0});
    BufferedImage out = SrgbNormaliser.toSrgbOnWhite(new BufferedImage(cm, raster, false, null));
    assertRgb(out, 0, 0, 255, 128, 0, 1);
    assertRgb(out, 1, 0, 255, 255, 255, 0);
  }
}
