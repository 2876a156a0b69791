package io.imgpress.processing.imageio;

import static io.imgpress.processing.imageio.TestImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.processing.FormatSniffer;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFormat;
import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageIoCodecTest {

  private final ImageIoCodec codec = new ImageIoCodec();

  private BufferedImage compressAndDecode(byte[] source, ImageFormat format) {
    EncodedImage encoded = codec.compress(source, format, 90);
    BufferedImage out = TestImages.decode(encoded.jpeg());
    assertThat(out.getWidth()).isEqualTo(encoded.width());
    assertThat(out.getHeight()).isEqualTo(encoded.height());
    return out;
  }

  @Nested
  class Orientation {

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

    /** 64×32, stored top-left red, top-right blue, bottom-left green, the rest white. */
    private BufferedImage stored() {
      BufferedImage image = TestImages.filled(64, 32, BufferedImage.TYPE_INT_RGB, Color.WHITE);
      TestImages.fill(image, 0, 0, 16, 16, Color.RED);
      TestImages.fill(image, 48, 0, 16, 16, Color.BLUE);
      TestImages.fill(image, 0, 16, 16, 16, Color.GREEN);
      return image;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void showsTheJpegTheWayAViewerDoes(int orientation) {
      ByteOrder order = orientation % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      byte[] source =
          TestImages.insertAfterSoi(
              TestImages.jpeg(stored()), TestImages.exifApp1(orientation, order));

      ImageInfo info = codec.probe(source, ImageFormat.JPEG);
      BufferedImage shown = compressAndDecode(source, ImageFormat.JPEG);

      boolean swapped = orientation >= 5;
      assertThat(info.width()).isEqualTo(swapped ? 32 : 64);
      assertThat(info.height()).isEqualTo(swapped ? 64 : 32);
      assertThat(shown.getWidth()).isEqualTo(info.width());
      assertThat(shown.getHeight()).isEqualTo(info.height());
      String row = FIRST_ROW_AND_COLUMN[orientation][0];
      String column = FIRST_ROW_AND_COLUMN[orientation][1];
      assertCorner(shown, row, column, 255, 0, 0);
      assertCorner(shown, row, opposite(column), 0, 0, 255);
      assertCorner(shown, opposite(row), column, 0, 255, 0);
      assertCorner(shown, opposite(row), opposite(column), 255, 255, 255);
    }

    @Test
    void appliesPngExifChunk() {
      byte[] png = TestImages.write(stored(), "png");
      byte[] tiff = TestImages.tiffWithOrientation(6, ByteOrder.BIG_ENDIAN);
      byte[] source = TestImages.insertAfterIhdr(png, TestImages.pngChunk("eXIf", tiff));

      assertThat(codec.probe(source, ImageFormat.PNG))
          .isEqualTo(new ImageInfo(ImageFormat.PNG, 32, 64));
      BufferedImage shown = compressAndDecode(source, ImageFormat.PNG);
      assertCorner(shown, "right", "top", 255, 0, 0);
    }

    @Test
    void writesNoOrientationIntoTheOutput() {
      byte[] source =
          TestImages.insertAfterSoi(
              TestImages.jpeg(stored()), TestImages.exifApp1(6, ByteOrder.BIG_ENDIAN));
      byte[] jpeg = codec.compress(source, ImageFormat.JPEG, 80).jpeg();
      assertThat(JpegEncoderTest.markers(jpeg)).doesNotContain(0xE1);
      assertThat(ExifOrientation.read(jpeg, ImageFormat.JPEG)).isEqualTo(1);
    }

    private void assertCorner(
        BufferedImage image, String side1, String side2, int r, int g, int b) {
      // The centre of the 16×16 block in that corner, away from JPEG ringing at the edges.
      int x = side1.equals("right") || side2.equals("right") ? image.getWidth() - 8 : 8;
      int y = side1.equals("bottom") || side2.equals("bottom") ? image.getHeight() - 8 : 8;
      assertRgb(image, x, y, r, g, b, 40);
    }

    private String opposite(String side) {
      return switch (side) {
        case "top" -> "bottom";
        case "bottom" -> "top";
        case "left" -> "right";
        default -> "left";
      };
    }
  }

  @Nested
  class ColourSpaces {

    @Test
    void convertsAdobeCmykJpeg() {
      // Adobe stores CMYK inverted: 100 % cyan, no magenta, yellow or black.
      byte[] cmyk = TestImages.adobeJpeg(16, 16, new int[] {0, 255, 255, 255}, 0);
      BufferedImage out = compressAndDecode(cmyk, ImageFormat.JPEG);
      assertRgb(out, 8, 8, 0, 212, 242, 45);
    }

    @Test
    void convertsYcckJpeg() {
      // YCCK = the YCbCr transform of the stored (inverted) C, M, Y taken as R, G, B; K as is.
      // 100 % cyan stored inverted is (0, 255, 255, 255), whose R'G'B' = (255, 0, 0) is red.
      byte[] ycck = TestImages.adobeJpeg(16, 16, new int[] {76, 85, 255, 255}, 2);
      BufferedImage out = compressAndDecode(ycck, ImageFormat.JPEG);
      assertRgb(out, 8, 8, 0, 212, 242, 45);
    }

    @Test
    void convertsLibjpegYcckFixture() {
      BufferedImage out = compressAndDecode(TestImages.resource("cmyk-ycck.jpg"), ImageFormat.JPEG);
      assertThat(out.getColorModel().getNumComponents()).isEqualTo(3);
      assertRgb(out, 3, 8, 0, 212, 242, 45); // cyan
      assertRgb(out, 12, 8, 245, 20, 195, 60); // magenta (no profile: naive conversion)
    }

    @Test
    void appliesIccProfileOfJpeg() {
      ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
      BufferedImage grey =
          TestImages.filled(16, 16, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128));
      byte[] source = TestImages.insertAfterSoi(TestImages.jpeg(grey), TestImages.iccApp2(linear));
      BufferedImage out = compressAndDecode(source, ImageFormat.JPEG);
      assertRgb(out, 8, 8, 188, 188, 188, 5);
    }

    @Test
    void appliesIccProfileOfPng() {
      ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
      BufferedImage grey =
          TestImages.filled(4, 4, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128));
      byte[] png = TestImages.write(grey, "png");
      byte[] source =
          TestImages.insertAfterIhdr(png, TestImages.iccpChunk("linear", linear.getData()));
      assertRgb(compressAndDecode(source, ImageFormat.PNG), 2, 2, 188, 188, 188, 4);
      // Without the profile the same pixels stay as they are.
      assertRgb(compressAndDecode(png, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
    }

    @Test
    void appliesAdobeRgbProfileOfPngFixture() {
      BufferedImage out = compressAndDecode(TestImages.resource("adobe-rgb.png"), ImageFormat.PNG);
      assertRgb(out, 4, 4, 232, 57, 57, 5); // ImageMagick/LittleCMS give (232, 57, 57)
    }

    @Test
    void ignoresBrokenOrSrgbPngProfiles() {
      BufferedImage grey =
          TestImages.filled(4, 4, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128));
      byte[] png = TestImages.write(grey, "png");
      byte[] garbage = TestImages.insertAfterIhdr(png, TestImages.iccpChunk("junk", new byte[300]));
      assertRgb(compressAndDecode(garbage, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
      byte[] notDeflated =
          TestImages.insertAfterIhdr(
              png, TestImages.pngChunk("iCCP", new byte[] {'x', 0, 0, 1, 2, 3}));
      assertRgb(compressAndDecode(notDeflated, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
      ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
      byte[] tagged = TestImages.insertAfterIhdr(png, TestImages.iccpChunk("sRGB", srgb.getData()));
      assertRgb(compressAndDecode(tagged, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
    }
  }

  @Nested
  class Formats {

    @Test
    void flattensTransparentPngOnWhite() {
      BufferedImage argb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_ARGB);
      TestImages.fill(argb, 16, 0, 16, 16, new Color(255, 0, 0, 128));
      BufferedImage out = compressAndDecode(TestImages.write(argb, "png"), ImageFormat.PNG);
      assertRgb(out, 8, 8, 255, 255, 255, 3);
      assertRgb(out, 24, 8, 255, 127, 127, 8);
    }

    @Test
    void readsGreyJpegAndPng() {
      BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      TestImages.fill(grey, 0, 0, 16, 16, new Color(100, 100, 100));
      assertRgb(compressAndDecode(TestImages.jpeg(grey), ImageFormat.JPEG), 8, 8, 100, 100, 100, 3);
      assertRgb(
          compressAndDecode(TestImages.write(grey, "png"), ImageFormat.PNG),
          8,
          8,
          100,
          100,
          100,
          3);
    }

    @Test
    void readsSixteenBitPngs() {
      BufferedImage grey16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          grey16.getRaster().setSample(x, y, 0, 200 * 257);
        }
      }
      assertRgb(
          compressAndDecode(TestImages.write(grey16, "png"), ImageFormat.PNG),
          4,
          4,
          200,
          200,
          200,
          3);

      ComponentColorModel cm =
          new ComponentColorModel(
              ColorSpace.getInstance(ColorSpace.CS_sRGB),
              false,
              false,
              Transparency.OPAQUE,
              DataBuffer.TYPE_USHORT);
      WritableRaster raster = cm.createCompatibleWritableRaster(8, 8);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          raster.setPixel(x, y, new int[] {65535, 128 * 257, 0});
        }
      }
      byte[] rgb16 = TestImages.write(new BufferedImage(cm, raster, false, null), "png");
      assertThat(rgb16[24]).as("PNG bit depth").isEqualTo((byte) 16);
      assertRgb(compressAndDecode(rgb16, ImageFormat.PNG), 4, 4, 255, 128, 0, 4);
    }

    @Test
    void readsPalettePngWithTransparentEntry() {
      byte[] r = {(byte) 255, 0, 0};
      byte[] g = {0, (byte) 255, 0};
      byte[] b = {0, 0, 0};
      IndexColorModel palette = new IndexColorModel(2, 3, r, g, b, 2);
      BufferedImage indexed = new BufferedImage(24, 8, BufferedImage.TYPE_BYTE_BINARY, palette);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 24; x++) {
          indexed.getRaster().setSample(x, y, 0, x / 8);
        }
      }
      byte[] png = TestImages.write(indexed, "png");
      assertThat(png[25]).as("PNG colour type").isEqualTo((byte) 3);
      BufferedImage out = compressAndDecode(png, ImageFormat.PNG);
      assertRgb(out, 4, 4, 255, 0, 0, 40);
      assertRgb(out, 12, 4, 0, 255, 0, 40);
      assertRgb(out, 20, 4, 255, 255, 255, 3);
    }

    @Test
    void takesFirstFrameOfAnimatedGif() throws Exception {
      BufferedImage red = TestImages.filled(20, 10, BufferedImage.TYPE_INT_RGB, Color.RED);
      BufferedImage blue = TestImages.filled(20, 10, BufferedImage.TYPE_INT_RGB, Color.BLUE);
      ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        writer.writeToSequence(new IIOImage(red, null, null), null);
        writer.writeToSequence(new IIOImage(blue, null, null), null);
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
      byte[] gif = bytes.toByteArray();

      assertThat(codec.probe(gif, ImageFormat.GIF))
          .isEqualTo(new ImageInfo(ImageFormat.GIF, 20, 10));
      BufferedImage out = compressAndDecode(gif, ImageFormat.GIF);
      assertThat(out.getWidth()).isEqualTo(20);
      assertRgb(out, 10, 5, 255, 0, 0, 40);
    }

    @Test
    void flattensTransparentGifOnWhite() {
      byte[] r = {(byte) 255, 0};
      byte[] g = {0, 0};
      byte[] b = {0, (byte) 255};
      IndexColorModel palette = new IndexColorModel(1, 2, r, g, b, 1);
      BufferedImage indexed = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_BINARY, palette);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          indexed.getRaster().setSample(x, y, 0, 0);
          indexed.getRaster().setSample(x + 8, y, 0, 1);
        }
      }
      BufferedImage out = compressAndDecode(TestImages.write(indexed, "gif"), ImageFormat.GIF);
      assertRgb(out, 4, 4, 255, 0, 0, 40);
      assertRgb(out, 12, 4, 255, 255, 255, 3);
    }

    @Test
    void readsBmp() {
      BufferedImage image = TestImages.filled(12, 6, BufferedImage.TYPE_INT_RGB, Color.YELLOW);
      byte[] bmp = TestImages.write(image, "bmp");
      assertThat(codec.probe(bmp, ImageFormat.BMP))
          .isEqualTo(new ImageInfo(ImageFormat.BMP, 12, 6));
      assertRgb(compressAndDecode(bmp, ImageFormat.BMP), 6, 3, 255, 255, 0, 20);
    }

    @Test
    void readsLossyAndLosslessWebp() {
      byte[] lossy = TestImages.resource("lossy.webp");
      assertThat(codec.probe(lossy, ImageFormat.WEBP))
          .isEqualTo(new ImageInfo(ImageFormat.WEBP, 32, 16));
      BufferedImage halves = compressAndDecode(lossy, ImageFormat.WEBP);
      assertRgb(halves, 8, 8, 255, 0, 0, 40);
      assertRgb(halves, 24, 8, 0, 0, 255, 40);

      BufferedImage alpha =
          compressAndDecode(TestImages.resource("lossless-alpha.webp"), ImageFormat.WEBP);
      assertRgb(alpha, 4, 8, 0, 200, 0, 30);
      assertRgb(alpha, 12, 8, 255, 255, 255, 3);
    }

    @Test
    void readsProgressiveJpeg() {
      BufferedImage image = TestImages.photoLike(40, 24);
      TestImages.fill(image, 0, 0, 16, 16, Color.MAGENTA);
      byte[] progressive = TestImages.jpeg(image, 0.9f, true);
      assertThat(JpegEncoderTest.markers(progressive)).contains(0xC2);
      BufferedImage out = compressAndDecode(progressive, ImageFormat.JPEG);
      assertThat(out.getWidth()).isEqualTo(40);
      assertRgb(out, 8, 8, 255, 0, 255, 40);
      assertThat(JpegEncoderTest.markers(codec.compress(progressive, ImageFormat.JPEG, 80).jpeg()))
          .doesNotContain(0xC2);
    }
  }

  @Nested
  class Output {

    @Test
    void isAValidJpegOfTheSameSize() {
      byte[] png = TestImages.write(TestImages.photoLike(50, 30), "png");
      EncodedImage encoded = codec.compress(png, ImageFormat.PNG, 85);
      assertThat(encoded.width()).isEqualTo(50);
      assertThat(encoded.height()).isEqualTo(30);
      BufferedImage back = TestImages.decode(encoded.jpeg());
      assertThat(back.getWidth()).isEqualTo(50);
      assertThat(back.getHeight()).isEqualTo(30);
    }

    @Test
    void respectsQuality() {
      byte[] png = TestImages.write(TestImages.photoLike(80, 60), "png");
      int low = codec.compress(png, ImageFormat.PNG, 40).jpeg().length;
      int high = codec.compress(png, ImageFormat.PNG, 95).jpeg().length;
      assertThat(low).isLessThan(high);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 101})
    void refusesQualityOutsideOneToHundred(int quality) {
      byte[] jpeg = TestImages.jpeg(TestImages.photoLike(8, 8));
      assertThatThrownBy(() -> codec.compress(jpeg, ImageFormat.JPEG, quality))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsQualityBounds() {
      byte[] jpeg = TestImages.jpeg(TestImages.photoLike(8, 8));
      assertThat(codec.compress(jpeg, ImageFormat.JPEG, 1).jpeg()).isNotEmpty();
      assertThat(codec.compress(jpeg, ImageFormat.JPEG, 100).jpeg()).isNotEmpty();
    }
  }

  @Nested
  class BadInput {

    private final byte[] photoJpeg = TestImages.jpeg(TestImages.photoLike(64, 48));

    @Test
    void failsTruncatedJpeg() {
      byte[] half = Arrays.copyOf(photoJpeg, photoJpeg.length / 2);
      assertPermanent(() -> codec.compress(half, ImageFormat.JPEG, 80), "corrupt image data");
    }

    @Test
    void failsJpegMissingOnlyItsEndMarker() {
      byte[] noEoi = Arrays.copyOf(photoJpeg, photoJpeg.length - 2);
      assertPermanent(() -> codec.compress(noEoi, ImageFormat.JPEG, 80), "corrupt image data");
    }

    @Test
    void failsJpegCutInsideItsHeaders() {
      byte[] cut = Arrays.copyOf(photoJpeg, 100);
      assertPermanent(() -> codec.compress(cut, ImageFormat.JPEG, 80), "corrupt image data");
      assertPermanent(
          () -> codec.probe(Arrays.copyOf(photoJpeg, 10), ImageFormat.JPEG),
          "corrupt or unsupported image");
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void failsTruncatedFilesOfEveryFormat(ImageFormat format) {
      byte[] whole = sample(format);
      byte[] half = Arrays.copyOf(whole, whole.length / 2);
      assertPermanent(() -> codec.compress(half, format, 80), "corrupt image data");
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void failsRandomGarbage(ImageFormat format) {
      byte[] garbage = new byte[4096];
      new Random(7).nextBytes(garbage);
      assertPermanent(() -> codec.compress(garbage, format, 80), "corrupt image data");
      assertPermanent(() -> codec.probe(garbage, format), "corrupt or unsupported image");
      assertPermanent(() -> codec.compress(new byte[0], format, 80), "corrupt image data");
    }

    @Test
    void failsGarbageBehindAValidMagic() {
      byte[] garbage = new byte[2048];
      new Random(3).nextBytes(garbage);
      garbage[0] = (byte) 0xFF;
      garbage[1] = (byte) 0xD8;
      garbage[2] = (byte) 0xFF;
      assertPermanent(() -> codec.compress(garbage, ImageFormat.JPEG, 80), "corrupt image data");
    }

    @Test
    void failsWhenFormatDoesNotMatchBytes() {
      assertPermanent(() -> codec.compress(photoJpeg, ImageFormat.PNG, 80), "corrupt image data");
    }

    @Test
    @Timeout(10)
    void probesHugeDeclaredSizeWithoutDecoding() {
      byte[] bomb = pngDeclaring(100_000, 100_000);
      ImageInfo info = codec.probe(bomb, ImageFormat.PNG);
      assertThat(info).isEqualTo(new ImageInfo(ImageFormat.PNG, 100_000, 100_000));
      assertThat(info.pixels()).isEqualTo(10_000_000_000L);
      // And compressing it anyway fails cleanly instead of exhausting the heap.
      assertThatThrownBy(() -> codec.compress(bomb, ImageFormat.PNG, 80))
          .isInstanceOf(ImageFailureException.class);
    }

    private byte[] sample(ImageFormat format) {
      BufferedImage image = TestImages.photoLike(64, 48);
      return switch (format) {
        case JPEG -> photoJpeg;
        case PNG -> TestImages.write(image, "png");
        case GIF -> TestImages.write(image, "gif");
        case BMP -> TestImages.write(image, "bmp");
        case WEBP -> TestImages.resource("lossy.webp");
      };
    }

    /** A PNG whose IHDR (with a correct CRC) declares the size, followed by a tiny IDAT. */
    private byte[] pngDeclaring(int width, int height) {
      ByteBuffer ihdr = ByteBuffer.allocate(13);
      ihdr.putInt(width)
          .putInt(height)
          .put((byte) 8)
          .put((byte) 2)
          .put((byte) 0)
          .put((byte) 0)
          .put((byte) 0);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      png.writeBytes(TestImages.pngChunk("IHDR", ihdr.array()));
      png.writeBytes(
          TestImages.pngChunk(
              "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
      png.writeBytes(TestImages.pngChunk("IEND", new byte[0]));
      return png.toByteArray();
    }

    private void assertPermanent(ThrowingCallable call, String messageStart) {
      assertThatThrownBy(call)
          .isInstanceOfSatisfying(
              ImageFailureException.class,
              e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).startsWith(messageStart).hasSizeLessThan(120);
                assertThat(e.getMessage()).matches("[\\x20-\\x7E]+");
              });
    }
  }

  @Test
  void sniffedFixturesMatchTheirFormats() {
    assertThat(FormatSniffer.sniff(TestImages.resource("lossy.webp"))).contains(ImageFormat.WEBP);
    assertThat(FormatSniffer.sniff(TestImages.resource("cmyk-ycck.jpg")))
        .contains(ImageFormat.JPEG);
    assertThat(new String(TestImages.resource("adobe-rgb.png"), 1, 3, StandardCharsets.US_ASCII))
        .isEqualTo("PNG");
  }
}
