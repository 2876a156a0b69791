package io.imgpress.processing.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.CodecImages;
import io.imgpress.processing.ImageFormat;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {

  private static final byte[] SMALL_JPEG =
      CodecImages.jpeg(CodecImages.filled(8, 8, BufferedImage.TYPE_INT_RGB, Color.GRAY));
  private static final byte[] SMALL_PNG =
      CodecImages.write(CodecImages.filled(8, 8, BufferedImage.TYPE_INT_RGB, Color.GRAY), "png");

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void readsJpegApp1InBothByteOrders(int orientation) {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      byte[] jpeg =
          CodecImages.insertAfterSoi(SMALL_JPEG, CodecImages.exifApp1(orientation, order));
      assertThat(ExifOrientation.read(jpeg, ImageFormat.JPEG))
          .as(order.toString())
          .isEqualTo(orientation);
    }
  }

  @Test
  void findsExifAfterOtherApplicationSegments() {
    // The JDK writer already put a JFIF APP0 first; add a comment before the Exif too.
    byte[] comment = {(byte) 0xFF, (byte) 0xFE, 0, 5, 'h', 'i', '!'};
    byte[] withExif =
        CodecImages.insertAfterSoi(SMALL_JPEG, CodecImages.exifApp1(6, ByteOrder.BIG_ENDIAN));
    byte[] jpeg = CodecImages.insertAfterSoi(withExif, comment);
    assertThat(ExifOrientation.read(jpeg, ImageFormat.JPEG)).isEqualTo(6);
  }

  @Test
  void defaultsToNormalWhenAbsentOrInvalid() {
    assertThat(ExifOrientation.read(SMALL_JPEG, ImageFormat.JPEG)).isEqualTo(1);
    byte[] nine =
        CodecImages.insertAfterSoi(SMALL_JPEG, CodecImages.exifApp1(9, ByteOrder.BIG_ENDIAN));
    assertThat(ExifOrientation.read(nine, ImageFormat.JPEG)).isEqualTo(1);
    byte[] zero =
        CodecImages.insertAfterSoi(SMALL_JPEG, CodecImages.exifApp1(0, ByteOrder.LITTLE_ENDIAN));
    assertThat(ExifOrientation.read(zero, ImageFormat.JPEG)).isEqualTo(1);
    assertThat(ExifOrientation.read(SMALL_PNG, ImageFormat.PNG)).isEqualTo(1);
    assertThat(ExifOrientation.read(new byte[] {(byte) 0xFF, (byte) 0xD8}, ImageFormat.JPEG))
        .isEqualTo(1);
  }

  @Test
  void survivesEveryTruncationOfTheExifSegment() {
    byte[] jpeg =
        CodecImages.insertAfterSoi(SMALL_JPEG, CodecImages.exifApp1(6, ByteOrder.LITTLE_ENDIAN));
    for (int length = 0; length < 60; length++) {
      int result = ExifOrientation.read(Arrays.copyOf(jpeg, length), ImageFormat.JPEG);
      assertThat(result).isBetween(1, 8);
    }
  }

  @Test
  void ignoresIfdOffsetsPointingOutside() {
    byte[] tiff = CodecImages.tiffWithOrientation(6, ByteOrder.BIG_ENDIAN);
    ByteBuffer.wrap(tiff).putInt(4, 0x7FFFFFF0);
    assertThat(TiffOrientation.read(tiff, 0, tiff.length)).isEqualTo(1);
    // An absurd entry count and no orientation entry: the walk must stop at the end of the data.
    ByteBuffer.wrap(tiff).putInt(4, 8).putShort(8, (short) 0xFFFF).putShort(22, (short) 0x0100);
    assertThat(TiffOrientation.read(tiff, 0, tiff.length)).isEqualTo(1);
  }

  @Test
  void readsPngExifChunkWithOrWithoutExifHeader() {
    byte[] tiff = CodecImages.tiffWithOrientation(8, ByteOrder.LITTLE_ENDIAN);
    byte[] png = CodecImages.insertAfterIhdr(SMALL_PNG, CodecImages.pngChunk("eXIf", tiff));
    assertThat(ExifOrientation.read(png, ImageFormat.PNG)).isEqualTo(8);

    ByteArrayOutputStream prefixed = new ByteArrayOutputStream();
    prefixed.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
    prefixed.writeBytes(tiff);
    byte[] png2 =
        CodecImages.insertAfterIhdr(
            SMALL_PNG, CodecImages.pngChunk("eXIf", prefixed.toByteArray()));
    assertThat(ExifOrientation.read(png2, ImageFormat.PNG)).isEqualTo(8);
  }

  @Test
  void readsWebpExifChunk() {
    byte[] tiff = CodecImages.tiffWithOrientation(5, ByteOrder.BIG_ENDIAN);
    byte[] vp8x = new byte[10];
    ByteBuffer riff = ByteBuffer.allocate(12 + 8 + vp8x.length + 8 + tiff.length + 1);
    riff.order(ByteOrder.LITTLE_ENDIAN);
    riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(riff.capacity() - 8);
    riff.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    riff.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(vp8x.length).put(vp8x);
    riff.put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(tiff.length).put(tiff);
    assertThat(ExifOrientation.read(riff.array(), ImageFormat.WEBP)).isEqualTo(5);
  }

  @Test
  void gifAndBmpHaveNoOrientation() {
    assertThat(ExifOrientation.read(new byte[] {'G', 'I', 'F'}, ImageFormat.GIF)).isEqualTo(1);
    assertThat(ExifOrientation.read(new byte[] {'B', 'M'}, ImageFormat.BMP)).isEqualTo(1);
  }

  @Test
  void onlyFiveToEightSwapAxes() {
    for (int o = 1; o <= 8; o++) {
      assertThat(ExifOrientation.swapsAxes(o)).as("orientation " + o).isEqualTo(o >= 5);
    }
  }
}
