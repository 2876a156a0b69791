package io.imgpress.processing;

import static io.imgpress.processing.CodecImages.assertRgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.processing.Codec.Size;
import io.imgpress.processing.IccProfiles.RgbSpace;
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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
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

/**
 * What every {@link Codec} engine must do, from the bytes a browser would show: orientation,
 * colour, formats, the shape of the output and failures. Each engine's test extends this; colours
 * are compared with a tolerance because decoders and colour engines round differently.
 */
public abstract class CodecContract {

  /** The engine under test, with optimised Huffman tables on or off. */
  protected abstract Codec codec(boolean optimizeCoding);

  protected Codec codec() {
    return codec(true);
  }

  /**
   * Untagged CMYK has no single right colour: each engine brings its own default CMYK profile.
   * These are the sRGB colours it shows 100 % cyan and 100 % magenta ink as.
   */
  protected abstract int[] untaggedCyan();

  protected abstract int[] untaggedMagenta();

  protected BufferedImage compressAndDecode(byte[] source, ImageFormat format) {
    EncodedImage encoded = codec().compress(source, format, 90);
    BufferedImage out = CodecImages.decode(encoded.bytes());
    assertThat(out.getWidth()).isEqualTo(encoded.width());
    assertThat(out.getHeight()).isEqualTo(encoded.height());
    return out;
  }

  /**
   * The inputs beyond JPEG, PNG, GIF, BMP and WebP: HEIC, AVIF, JPEG XL and JPEG 2000 from the
   * fixtures in {@code src/test/resources/formats} (made by its {@code make.sh} with the vips CLI),
   * TIFF and 16-bit PNG built here. Each is checked on the engines that claim its format ({@link
   * Codec#decodes()}), with the bounds of the colour tests above; an engine that does not claim it
   * must refuse it, saying which engine reads it.
   */
  @Nested
  class Inputs {

    private static final int[] RED = {220, 40, 40};
    private static final int[] BLUE = {40, 40, 220};

    @ParameterizedTest
    @ValueSource(strings = {"halves.heic", "halves.avif", "halves.jxl", "halves.jp2", "halves.j2k"})
    void readsHeicAvifJpegXlAndJpeg2000(String name) {
      byte[] source = fixture(name);
      ImageFormat format = FormatSniffer.sniff(source).orElseThrow();
      assertThat(format).isEqualTo(formatOf(name));
      whenDecoded(
          source,
          format,
          out -> {
            assertThat(codec().probe(source, format)).isEqualTo(new ImageInfo(format, 32, 16));
            assertThat(out.getWidth()).isEqualTo(32);
            assertThat(out.getHeight()).isEqualTo(16);
            assertRgb(out, 8, 8, RED[0], RED[1], RED[2], 5);
            assertRgb(out, 24, 8, BLUE[0], BLUE[1], BLUE[2], 5);
          });
    }

    @ParameterizedTest
    @ValueSource(strings = {"p3.heic", "p3.avif", "p3.jxl"})
    void convertsDisplayP3HeicAvifAndJpegXlToSrgb(String name) {
      byte[] source = fixture(name);
      whenDecoded(source, formatOf(name), out -> assertDisplayP3Red(out, 8, 8));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void convertsDisplayP3TiffAndSixteenBitPngToSrgb(int bits) {
      int scale = bits == 16 ? 257 : 1;
      byte[] tiff =
          TiffImages.tiff(
              TiffImages.Page.rgb(16, 16, TiffImages.flat(200 * scale, 60 * scale, 60 * scale))
                  .withBits(bits)
                  .withIcc(displayP3()));
      whenDecoded(tiff, ImageFormat.TIFF, out -> assertDisplayP3Red(out, 8, 8));

      byte[] png = CodecImages.insertAfterIhdr(rgbPng(16, 200, 60, 60), p3Chunk());
      assertThat(png[24]).as("PNG bit depth").isEqualTo((byte) 16);
      assertDisplayP3Red(compressAndDecode(png, ImageFormat.PNG), 4, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alpha.heic", "alpha.avif", "alpha.jxl", "tiff"})
    void flattensTransparencyOnWhite(String name) {
      // Left half opaque (0,200,0), right half fully transparent.
      byte[] source =
          name.equals("tiff")
              ? TiffImages.tiff(
                  new TiffImages.Page(
                      16,
                      16,
                      TiffImages.RGB,
                      8,
                      true,
                      (x, y) -> x < 8 ? new int[] {0, 200, 0, 255} : new int[] {0, 0, 255, 0},
                      null,
                      0))
              : fixture(name);
      whenDecoded(
          source,
          FormatSniffer.sniff(source).orElseThrow(),
          out -> {
            assertRgb(out, 4, 8, 0, 200, 0, 5);
            assertRgb(out, 12, 8, 255, 255, 255, 3);
          });
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-images.heic", "two-images.avif", "tiff"})
    void takesTheFirstImageOfASequenceOrTheFirstPage(String name) {
      // Two 16×16 images: red, then blue.
      byte[] source =
          name.equals("tiff")
              ? TiffImages.tiff(
                  ByteOrder.BIG_ENDIAN,
                  TiffImages.Page.rgb(16, 16, TiffImages.flat(RED)),
                  TiffImages.Page.rgb(16, 16, TiffImages.flat(BLUE)))
              : fixture(name);
      ImageFormat format = FormatSniffer.sniff(source).orElseThrow();
      whenDecoded(
          source,
          format,
          out -> {
            assertThat(codec().probe(source, format)).isEqualTo(new ImageInfo(format, 16, 16));
            assertThat(out.getHeight()).isEqualTo(16);
            assertRgb(out, 8, 8, RED[0], RED[1], RED[2], 5);
          });
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsEightAndSixteenBitRgbTiff(boolean littleEndian) {
      ByteOrder order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      byte[] eight = TiffImages.tiff(order, TiffImages.Page.rgb(16, 8, TiffImages.flat(RED)));
      whenDecoded(eight, ImageFormat.TIFF, out -> assertRgb(out, 8, 4, RED[0], RED[1], RED[2], 3));
      byte[] sixteen =
          TiffImages.tiff(
              order,
              TiffImages.Page.rgb(16, 8, TiffImages.flat(RED[0] * 257, RED[1] * 257, RED[2] * 257))
                  .withBits(16));
      whenDecoded(
          sixteen, ImageFormat.TIFF, out -> assertRgb(out, 8, 4, RED[0], RED[1], RED[2], 4));
    }

    @Test
    void convertsCmykTiffWithAndWithoutProfile() {
      // TIFF stores ink as it is (no inversion as in Adobe's JPEGs): 100 % cyan.
      TiffImages.Page cyan =
          new TiffImages.Page(
              16, 16, TiffImages.CMYK, 8, false, TiffImages.flat(255, 0, 0, 0), null, 0);
      whenDecoded(
          TiffImages.tiff(cyan),
          ImageFormat.TIFF,
          out -> {
            int[] ink = untaggedCyan();
            assertRgb(out, 8, 8, ink[0], ink[1], ink[2], 8);
          });
      // The profile shows cyan ink as yellow, which no default CMYK conversion would.
      whenDecoded(
          TiffImages.tiff(cyan.withIcc(IccProfiles.rotatedCmyk())),
          ImageFormat.TIFF,
          out -> assertRgb(out, 8, 8, 255, 255, 0, 12));
    }

    @Test
    void appliesTheOrientationTagOfTiff() {
      // 64×32, stored top-left red, top-right blue; orientation 6 turns it a quarter clockwise.
      TiffImages.Page stored =
          TiffImages.Page.rgb(
              64,
              32,
              (x, y) ->
                  y < 16 && x < 16
                      ? new int[] {255, 0, 0}
                      : y < 16 && x >= 48 ? new int[] {0, 0, 255} : new int[] {255, 255, 255});
      byte[] tiff = TiffImages.tiff(stored.withOrientation(6));
      whenDecoded(
          tiff,
          ImageFormat.TIFF,
          out -> {
            assertThat(codec().probe(tiff, ImageFormat.TIFF))
                .isEqualTo(new ImageInfo(ImageFormat.TIFF, 32, 64));
            assertThat(out.getWidth()).isEqualTo(32);
            assertRgb(out, 24, 8, 255, 0, 0, 40); // the top row is now on the right
            assertRgb(out, 24, 56, 0, 0, 255, 40);
            assertRgb(out, 8, 8, 255, 255, 255, 40);
          });
    }

    @Test
    void turnsAHeicByItsOwnTransformationsOnceAndNotByExif() {
      // HEIF readers take the orientation from the file's irot/imir properties, never from EXIF,
      // though phones write both: turning by both would turn twice.
      byte[] exifOnly = fixture("exif6.heic");
      whenDecoded(
          exifOnly,
          ImageFormat.HEIF,
          out -> {
            assertThat(codec().probe(exifOnly, ImageFormat.HEIF))
                .isEqualTo(new ImageInfo(ImageFormat.HEIF, 32, 16));
            assertThat(out.getWidth()).isEqualTo(32);
            assertRgb(out, 8, 8, RED[0], RED[1], RED[2], 5);
            assertRgb(out, 24, 8, BLUE[0], BLUE[1], BLUE[2], 5);
          });
      // The same file with an irot of a quarter turn clockwise: red on top, blue below.
      byte[] rotated = fixture("rotated.heic");
      whenDecoded(
          rotated,
          ImageFormat.HEIF,
          out -> {
            assertThat(codec().probe(rotated, ImageFormat.HEIF))
                .isEqualTo(new ImageInfo(ImageFormat.HEIF, 16, 32));
            assertThat(out.getWidth()).isEqualTo(16);
            assertThat(out.getHeight()).isEqualTo(32);
            assertRgb(out, 8, 8, RED[0], RED[1], RED[2], 5);
            assertRgb(out, 8, 24, BLUE[0], BLUE[1], BLUE[2], 5);
          });
    }

    @Test
    void enginesRefuseTheFormatsTheyDoNotClaimSayingWhatReadsThem() {
      for (ImageFormat format : ImageFormat.values()) {
        if (!codec().decodes().contains(format)) {
          assertRefused(sample(format), format);
        }
      }
      // Every engine reads what it read before this issue, and what its libraries read.
      assertThat(codec().decodes())
          .contains(
              ImageFormat.JPEG,
              ImageFormat.PNG,
              ImageFormat.GIF,
              ImageFormat.BMP,
              ImageFormat.WEBP,
              ImageFormat.TIFF);
    }

    /** The decoded output checked on an engine that claims the format; the refusal otherwise. */
    private void whenDecoded(byte[] source, ImageFormat format, Consumer<BufferedImage> check) {
      if (codec().decodes().contains(format)) {
        check.accept(compressAndDecode(source, format));
      } else {
        assertRefused(source, format);
      }
    }

    private void assertRefused(byte[] source, ImageFormat format) {
      for (ThrowingCallable call :
          List.<ThrowingCallable>of(
              () -> codec().probe(source, format), () -> codec().compress(source, format, 80))) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                ImageFailureException.class,
                e -> {
                  assertThat(e.isRetryable()).isFalse();
                  assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED_FORMAT);
                  assertThat(e.getMessage())
                      .isEqualTo(codec().whyNotDecoded(format))
                      .contains("native engine")
                      .matches("[\\x20-\\x7E]+");
                });
      }
    }

    private void assertDisplayP3Red(BufferedImage out, int x, int y) {
      int[] expected = IccProfiles.toSrgb(IccProfiles.DISPLAY_P3, 200, 60, 60);
      assertRgb(out, x, y, expected[0], expected[1], expected[2], 5);
    }

    private byte[] displayP3() {
      return IccProfiles.rgb(IccProfiles.DISPLAY_P3, "Display P3");
    }

    private byte[] p3Chunk() {
      return CodecImages.iccpChunk("Display P3", displayP3());
    }

    private byte[] rgbPng(int bits, int r, int g, int b) {
      int scale = bits == 16 ? 257 : 1;
      ComponentColorModel cm =
          new ComponentColorModel(
              ColorSpace.getInstance(ColorSpace.CS_sRGB),
              false,
              false,
              Transparency.OPAQUE,
              bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
      WritableRaster raster = cm.createCompatibleWritableRaster(8, 8);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          raster.setPixel(x, y, new int[] {r * scale, g * scale, b * scale});
        }
      }
      return CodecImages.write(new BufferedImage(cm, raster, false, null), "png");
    }
  }

  /** A fixture of {@code src/test/resources/formats}. */
  protected static byte[] fixture(String name) {
    try (var in = CodecContract.class.getResourceAsStream("/formats/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ImageFormat formatOf(String name) {
    return switch (name.substring(name.lastIndexOf('.') + 1)) {
      case "heic" -> ImageFormat.HEIF;
      case "avif" -> ImageFormat.AVIF;
      case "jxl" -> ImageFormat.JXL;
      case "jp2", "j2k" -> ImageFormat.JP2;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** A small valid image of each format. */
  protected static byte[] sample(ImageFormat format) {
    BufferedImage image = CodecImages.photoLike(64, 48);
    return switch (format) {
      case JPEG -> CodecImages.jpeg(image);
      case PNG -> CodecImages.write(image, "png");
      case GIF -> CodecImages.write(image, "gif");
      case BMP -> CodecImages.write(image, "bmp");
      case WEBP -> CodecImages.resource("lossy.webp");
      case TIFF ->
          TiffImages.tiff(TiffImages.Page.rgb(64, 48, (x, y) -> new int[] {x * 4, y * 5, 90}));
      case HEIF -> fixture("halves.heic");
      case AVIF -> fixture("halves.avif");
      case JXL -> fixture("halves.jxl");
      case JP2 -> fixture("halves.jp2");
    };
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
      BufferedImage image = CodecImages.filled(64, 32, BufferedImage.TYPE_INT_RGB, Color.WHITE);
      CodecImages.fill(image, 0, 0, 16, 16, Color.RED);
      CodecImages.fill(image, 48, 0, 16, 16, Color.BLUE);
      CodecImages.fill(image, 0, 16, 16, 16, Color.GREEN);
      return image;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void showsTheJpegTheWayAViewerDoes(int orientation) {
      ByteOrder order = orientation % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      byte[] source =
          CodecImages.insertAfterSoi(
              CodecImages.jpeg(stored()), CodecImages.exifApp1(orientation, order));

      ImageInfo info = codec().probe(source, ImageFormat.JPEG);
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
      byte[] png = CodecImages.write(stored(), "png");
      byte[] tiff = CodecImages.tiffWithOrientation(6, ByteOrder.BIG_ENDIAN);
      byte[] source = CodecImages.insertAfterIhdr(png, CodecImages.pngChunk("eXIf", tiff));

      assertThat(codec().probe(source, ImageFormat.PNG))
          .isEqualTo(new ImageInfo(ImageFormat.PNG, 32, 64));
      BufferedImage shown = compressAndDecode(source, ImageFormat.PNG);
      assertCorner(shown, "right", "top", 255, 0, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 6})
    void writesNoOrientationIntoTheOutput(int orientation) {
      byte[] source =
          CodecImages.insertAfterSoi(
              CodecImages.jpeg(stored()), CodecImages.exifApp1(orientation, ByteOrder.BIG_ENDIAN));
      byte[] jpeg = codec().compress(source, ImageFormat.JPEG, 80).bytes();
      assertThat(CodecImages.markers(jpeg)).doesNotContain(0xE1);
      // A second pass must not turn it again.
      assertThat(codec().probe(jpeg, ImageFormat.JPEG).width())
          .isEqualTo(orientation == 6 ? 32 : 64);
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
  class Preview {

    /** 800×400: left half red, right half blue, a green block at the top-left corner. */
    private BufferedImage stored() {
      BufferedImage image = CodecImages.filled(800, 400, BufferedImage.TYPE_INT_RGB, Color.RED);
      CodecImages.fill(image, 400, 0, 400, 400, Color.BLUE);
      CodecImages.fill(image, 0, 0, 200, 100, Color.GREEN);
      return image;
    }

    @Test
    void fitsTheBoxKeepsTheAspectAndTheColours() {
      byte[] source = CodecImages.jpeg(stored());

      EncodedImage encoded = codec().compress(source, ImageFormat.JPEG, 50, 320);

      assertThat(encoded.width()).isEqualTo(800);
      BufferedImage preview = CodecImages.decode(encoded.preview());
      assertThat(preview.getWidth()).isEqualTo(320);
      assertThat(preview.getHeight()).isEqualTo(160);
      assertThat(CodecImages.markers(encoded.preview())).doesNotContain(0xE1);
      assertRgb(preview, 120, 120, 255, 0, 0, 24);
      assertRgb(preview, 240, 80, 0, 0, 255, 24);
      assertRgb(preview, 30, 15, 0, 255, 0, 24);
      // Smaller than the output though made from the same pixels.
      assertThat(encoded.preview().length).isLessThan(encoded.bytes().length);
    }

    @Test
    void showsTheSourceUpright() {
      byte[] source =
          CodecImages.insertAfterSoi(
              CodecImages.jpeg(stored()), CodecImages.exifApp1(6, ByteOrder.BIG_ENDIAN));

      BufferedImage preview =
          CodecImages.decode(codec().compress(source, ImageFormat.JPEG, 50, 200).preview());

      // Turned a quarter clockwise: 100×200, red on top, the green block at the top-right.
      assertThat(preview.getWidth()).isEqualTo(100);
      assertThat(preview.getHeight()).isEqualTo(200);
      assertRgb(preview, 40, 60, 255, 0, 0, 24);
      assertRgb(preview, 40, 160, 0, 0, 255, 24);
      assertRgb(preview, 94, 10, 0, 255, 0, 24);
    }

    @Test
    void neverEnlargesAndFlattensTransparencyOnWhite() {
      BufferedImage small = CodecImages.filled(150, 120, BufferedImage.TYPE_INT_ARGB, Color.RED);
      CodecImages.fill(small, 0, 0, 150, 60, new Color(0, 0, 0, 0));
      byte[] png = CodecImages.write(small, "png");

      BufferedImage preview =
          CodecImages.decode(codec().compress(png, ImageFormat.PNG, 80, 320).preview());

      assertThat(preview.getWidth()).isEqualTo(150);
      assertThat(preview.getHeight()).isEqualTo(120);
      assertRgb(preview, 75, 20, 255, 255, 255, 8);
      assertRgb(preview, 75, 100, 255, 0, 0, 24);
    }

    @Test
    void isInSrgbLikeTheOutput() {
      RgbSpace space = IccProfiles.DISPLAY_P3;
      byte[] profile = IccProfiles.rgb(space, "Display P3");
      int[] expected = IccProfiles.toSrgb(space, 200, 60, 60);
      BufferedImage red =
          CodecImages.filled(400, 300, BufferedImage.TYPE_INT_RGB, new Color(200, 60, 60));
      byte[] jpeg = CodecImages.insertAfterSoi(CodecImages.jpeg(red), CodecImages.iccApp2(profile));

      BufferedImage preview =
          CodecImages.decode(codec().compress(jpeg, ImageFormat.JPEG, 90, 100).preview());

      assertThat(preview.getWidth()).isEqualTo(100);
      assertThat(preview.getHeight()).isEqualTo(75);
      assertRgb(preview, 50, 37, expected[0], expected[1], expected[2], 6);
    }

    @Test
    void sizeZeroMakesNone() {
      byte[] source = CodecImages.jpeg(stored());
      assertThat(codec().compress(source, ImageFormat.JPEG, 50, 0).preview()).isNull();
      assertThat(codec().compress(source, ImageFormat.JPEG, 50).preview()).isNull();
      assertThatThrownBy(() -> codec().compress(source, ImageFormat.JPEG, 50, -1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ColourSpaces {

    // Adobe stores CMYK inverted: 100 % cyan, no magenta, yellow or black.
    private static final int[] STORED_CYAN = {0, 255, 255, 255};
    // YCCK = the YCbCr transform of the stored (inverted) C, M, Y taken as R, G, B; K as is.
    // 100 % cyan stored inverted is (0, 255, 255, 255), whose R'G'B' = (255, 0, 0) is red.
    private static final int[] STORED_CYAN_YCCK = {76, 85, 255, 255};

    @Test
    void convertsAdobeCmykJpeg() {
      byte[] cmyk = CodecImages.adobeJpeg(16, 16, STORED_CYAN, 0);
      assertInk(compressAndDecode(cmyk, ImageFormat.JPEG), 8, 8, untaggedCyan());
    }

    @Test
    void convertsYcckJpeg() {
      byte[] ycck = CodecImages.adobeJpeg(16, 16, STORED_CYAN_YCCK, 2);
      assertInk(compressAndDecode(ycck, ImageFormat.JPEG), 8, 8, untaggedCyan());
    }

    @Test
    void convertsLibjpegYcckFixture() {
      BufferedImage out =
          compressAndDecode(CodecImages.resource("cmyk-ycck.jpg"), ImageFormat.JPEG);
      assertThat(out.getColorModel().getNumComponents()).isEqualTo(3);
      assertInk(out, 3, 8, untaggedCyan());
      assertInk(out, 12, 8, untaggedMagenta());
    }

    @Test
    void defaultCmykColoursAreCyanAndMagenta() {
      int[] cyan = untaggedCyan();
      assertThat(cyan[0]).as("cyan's red").isLessThan(40);
      assertThat(cyan[2]).as("cyan's blue").isGreaterThan(200).isGreaterThanOrEqualTo(cyan[1]);
      int[] magenta = untaggedMagenta();
      assertThat(magenta[0]).as("magenta's red").isGreaterThan(200);
      assertThat(magenta[1]).as("magenta's green").isLessThan(60);
      assertThat(magenta[2]).as("magenta's blue").isGreaterThan(120);
    }

    @Test
    void appliesCmykProfileOfAdobeCmykJpeg() {
      byte[] cmyk = CodecImages.adobeJpeg(16, 16, STORED_CYAN, 0);
      byte[] tagged = CodecImages.insertAfterSoi(cmyk, cmykProfile());
      // The profile shows cyan ink as yellow, which no default CMYK conversion would.
      assertRgb(compressAndDecode(tagged, ImageFormat.JPEG), 8, 8, 255, 255, 0, 12);
    }

    @Test
    void appliesCmykProfileOfYcckJpeg() {
      byte[] ycck = CodecImages.adobeJpeg(16, 16, STORED_CYAN_YCCK, 2);
      byte[] tagged = CodecImages.insertAfterSoi(ycck, cmykProfile());
      assertRgb(compressAndDecode(tagged, ImageFormat.JPEG), 8, 8, 255, 255, 0, 12);

      byte[] fixture =
          CodecImages.insertAfterSoi(CodecImages.resource("cmyk-ycck.jpg"), cmykProfile());
      BufferedImage out = compressAndDecode(fixture, ImageFormat.JPEG);
      assertRgb(out, 3, 8, 255, 255, 0, 12); // cyan ink shown as yellow
      assertRgb(out, 12, 8, 0, 255, 255, 12); // magenta ink shown as cyan
    }

    @Test
    void appliesIccProfileOfJpeg() {
      ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
      BufferedImage grey =
          CodecImages.filled(16, 16, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128));
      byte[] source =
          CodecImages.insertAfterSoi(CodecImages.jpeg(grey), CodecImages.iccApp2(linear));
      assertRgb(compressAndDecode(source, ImageFormat.JPEG), 8, 8, 188, 188, 188, 5);
    }

    @Test
    void appliesIccProfileOfPng() {
      ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
      BufferedImage grey =
          CodecImages.filled(4, 4, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128));
      byte[] png = CodecImages.write(grey, "png");
      byte[] source =
          CodecImages.insertAfterIhdr(png, CodecImages.iccpChunk("linear", linear.getData()));
      assertRgb(compressAndDecode(source, ImageFormat.PNG), 2, 2, 188, 188, 188, 4);
      // Without the profile the same pixels stay as they are.
      assertRgb(compressAndDecode(png, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
    }

    @Test
    void appliesAdobeRgbProfileOfPngFixture() {
      BufferedImage out = compressAndDecode(CodecImages.resource("adobe-rgb.png"), ImageFormat.PNG);
      assertRgb(out, 4, 4, 232, 57, 57, 5); // ImageMagick/LittleCMS give (232, 57, 57)
    }

    @ParameterizedTest
    @ValueSource(strings = {"Display P3", "Adobe RGB"})
    void convertsWideGamutJpegAndPngToSrgb(String name) {
      RgbSpace space = name.equals("Display P3") ? IccProfiles.DISPLAY_P3 : IccProfiles.ADOBE_RGB;
      byte[] profile = IccProfiles.rgb(space, name);
      int[] expected = IccProfiles.toSrgb(space, 200, 60, 60);
      // The conversion must visibly matter, or this test would prove nothing.
      assertThat(Math.abs(expected[0] - 200) + Math.abs(expected[1] - 60)).isGreaterThan(12);
      BufferedImage red =
          CodecImages.filled(16, 16, BufferedImage.TYPE_INT_RGB, new Color(200, 60, 60));

      byte[] jpeg = CodecImages.insertAfterSoi(CodecImages.jpeg(red), CodecImages.iccApp2(profile));
      assertRgb(
          compressAndDecode(jpeg, ImageFormat.JPEG),
          8,
          8,
          expected[0],
          expected[1],
          expected[2],
          5);
      byte[] png =
          CodecImages.insertAfterIhdr(
              CodecImages.write(red, "png"), CodecImages.iccpChunk(name, profile));
      assertRgb(
          compressAndDecode(png, ImageFormat.PNG), 8, 8, expected[0], expected[1], expected[2], 4);
    }

    @Test
    void ignoresBrokenOrSrgbPngProfiles() {
      BufferedImage grey =
          CodecImages.filled(4, 4, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128));
      byte[] png = CodecImages.write(grey, "png");
      byte[] garbage =
          CodecImages.insertAfterIhdr(png, CodecImages.iccpChunk("junk", new byte[300]));
      assertRgb(compressAndDecode(garbage, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
      byte[] notDeflated =
          CodecImages.insertAfterIhdr(
              png, CodecImages.pngChunk("iCCP", new byte[] {'x', 0, 0, 1, 2, 3}));
      assertRgb(compressAndDecode(notDeflated, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
      ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
      byte[] tagged =
          CodecImages.insertAfterIhdr(png, CodecImages.iccpChunk("sRGB", srgb.getData()));
      assertRgb(compressAndDecode(tagged, ImageFormat.PNG), 2, 2, 128, 128, 128, 3);
    }

    private void assertInk(BufferedImage image, int x, int y, int[] rgb) {
      assertRgb(image, x, y, rgb[0], rgb[1], rgb[2], 8);
    }

    private byte[] cmykProfile() {
      return CodecImages.iccApp2(IccProfiles.rotatedCmyk());
    }
  }

  @Nested
  class Formats {

    @Test
    void flattensTransparentPngOnWhite() {
      BufferedImage argb = new BufferedImage(32, 16, BufferedImage.TYPE_INT_ARGB);
      CodecImages.fill(argb, 16, 0, 16, 16, new Color(255, 0, 0, 128));
      BufferedImage out = compressAndDecode(CodecImages.write(argb, "png"), ImageFormat.PNG);
      assertRgb(out, 8, 8, 255, 255, 255, 3);
      assertRgb(out, 24, 8, 255, 127, 127, 8);
    }

    @Test
    void flattensGreyPngWithAlphaOnWhite() {
      ComponentColorModel cm =
          new ComponentColorModel(
              ColorSpace.getInstance(ColorSpace.CS_GRAY),
              true,
              false,
              Transparency.TRANSLUCENT,
              DataBuffer.TYPE_BYTE);
      WritableRaster raster = cm.createCompatibleWritableRaster(16, 8);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 16; x++) {
          raster.setPixel(x, y, x < 8 ? new int[] {0, 0} : new int[] {0, 255});
        }
      }
      byte[] png = CodecImages.write(new BufferedImage(cm, raster, false, null), "png");
      assertThat(png[25]).as("PNG colour type").isEqualTo((byte) 4);
      BufferedImage out = compressAndDecode(png, ImageFormat.PNG);
      assertRgb(out, 4, 4, 255, 255, 255, 3);
      assertRgb(out, 12, 4, 0, 0, 0, 3);
    }

    @Test
    void readsGreyJpegAndPng() {
      BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      CodecImages.fill(grey, 0, 0, 16, 16, new Color(100, 100, 100));
      BufferedImage fromJpeg = compressAndDecode(CodecImages.jpeg(grey), ImageFormat.JPEG);
      assertRgb(fromJpeg, 8, 8, 100, 100, 100, 3);
      BufferedImage fromPng = compressAndDecode(CodecImages.write(grey, "png"), ImageFormat.PNG);
      assertRgb(fromPng, 8, 8, 100, 100, 100, 3);
    }

    @Test
    void readsSixteenBitPngs() {
      BufferedImage grey16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          grey16.getRaster().setSample(x, y, 0, 200 * 257);
        }
      }
      BufferedImage fromGrey = compressAndDecode(CodecImages.write(grey16, "png"), ImageFormat.PNG);
      assertRgb(fromGrey, 4, 4, 200, 200, 200, 3);

      byte[] rgb16 = rgb16Png(false);
      assertThat(rgb16[24]).as("PNG bit depth").isEqualTo((byte) 16);
      assertRgb(compressAndDecode(rgb16, ImageFormat.PNG), 4, 4, 255, 128, 0, 4);
    }

    @Test
    void flattensSixteenBitPngWithAlphaOnWhite() {
      byte[] rgba16 = rgb16Png(true);
      assertThat(rgba16[25]).as("PNG colour type").isEqualTo((byte) 6);
      BufferedImage out = compressAndDecode(rgba16, ImageFormat.PNG);
      assertRgb(out, 2, 4, 255, 128, 0, 4); // opaque half
      assertRgb(out, 6, 4, 255, 255, 255, 3); // transparent half
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
      byte[] png = CodecImages.write(indexed, "png");
      assertThat(png[25]).as("PNG colour type").isEqualTo((byte) 3);
      BufferedImage out = compressAndDecode(png, ImageFormat.PNG);
      assertRgb(out, 4, 4, 255, 0, 0, 40);
      assertRgb(out, 12, 4, 0, 255, 0, 40);
      assertRgb(out, 20, 4, 255, 255, 255, 3);
    }

    @Test
    void takesFirstFrameOfAnimatedGif() throws Exception {
      BufferedImage red = CodecImages.filled(20, 10, BufferedImage.TYPE_INT_RGB, Color.RED);
      BufferedImage blue = CodecImages.filled(20, 10, BufferedImage.TYPE_INT_RGB, Color.BLUE);
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

      assertThat(codec().probe(gif, ImageFormat.GIF))
          .isEqualTo(new ImageInfo(ImageFormat.GIF, 20, 10));
      BufferedImage out = compressAndDecode(gif, ImageFormat.GIF);
      assertThat(out.getWidth()).isEqualTo(20);
      assertThat(out.getHeight()).isEqualTo(10);
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
      BufferedImage out = compressAndDecode(CodecImages.write(indexed, "gif"), ImageFormat.GIF);
      assertRgb(out, 4, 4, 255, 0, 0, 40);
      assertRgb(out, 12, 4, 255, 255, 255, 3);
    }

    @Test
    void readsBmp() {
      BufferedImage image = CodecImages.filled(12, 6, BufferedImage.TYPE_INT_RGB, Color.YELLOW);
      byte[] bmp = CodecImages.write(image, "bmp");
      assertThat(codec().probe(bmp, ImageFormat.BMP))
          .isEqualTo(new ImageInfo(ImageFormat.BMP, 12, 6));
      assertRgb(compressAndDecode(bmp, ImageFormat.BMP), 6, 3, 255, 255, 0, 20);
    }

    @Test
    void readsLossyAndLosslessWebp() {
      byte[] lossy = CodecImages.resource("lossy.webp");
      assertThat(codec().probe(lossy, ImageFormat.WEBP))
          .isEqualTo(new ImageInfo(ImageFormat.WEBP, 32, 16));
      BufferedImage halves = compressAndDecode(lossy, ImageFormat.WEBP);
      assertRgb(halves, 8, 8, 255, 0, 0, 40);
      assertRgb(halves, 24, 8, 0, 0, 255, 40);

      BufferedImage alpha =
          compressAndDecode(CodecImages.resource("lossless-alpha.webp"), ImageFormat.WEBP);
      assertRgb(alpha, 4, 8, 0, 200, 0, 30);
      assertRgb(alpha, 12, 8, 255, 255, 255, 3);
    }

    @Test
    void readsProgressiveJpeg() {
      BufferedImage image = CodecImages.photoLike(40, 24);
      CodecImages.fill(image, 0, 0, 16, 16, Color.MAGENTA);
      byte[] progressive = CodecImages.jpeg(image, 0.9f, true);
      assertThat(CodecImages.markers(progressive)).contains(0xC2);
      BufferedImage out = compressAndDecode(progressive, ImageFormat.JPEG);
      assertThat(out.getWidth()).isEqualTo(40);
      assertRgb(out, 8, 8, 255, 0, 255, 40);
      assertThat(CodecImages.markers(codec().compress(progressive, ImageFormat.JPEG, 80).bytes()))
          .doesNotContain(0xC2);
    }

    private byte[] rgb16Png(boolean alpha) {
      ComponentColorModel cm =
          new ComponentColorModel(
              ColorSpace.getInstance(ColorSpace.CS_sRGB),
              alpha,
              false,
              alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
              DataBuffer.TYPE_USHORT);
      WritableRaster raster = cm.createCompatibleWritableRaster(8, 8);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          int[] orange = {65535, 128 * 257, 0};
          raster.setPixel(
              x, y, alpha ? new int[] {65535, 128 * 257, 0, x < 4 ? 65535 : 0} : orange);
        }
      }
      return CodecImages.write(new BufferedImage(cm, raster, false, null), "png");
    }
  }

  @Nested
  class Output {

    @Test
    void isAValidJpegOfTheSameSize() {
      byte[] png = CodecImages.write(CodecImages.photoLike(50, 30), "png");
      EncodedImage encoded = codec().compress(png, ImageFormat.PNG, 85);
      assertThat(encoded.width()).isEqualTo(50);
      assertThat(encoded.height()).isEqualTo(30);
      BufferedImage back = CodecImages.decode(encoded.bytes());
      assertThat(back.getWidth()).isEqualTo(50);
      assertThat(back.getHeight()).isEqualTo(30);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50, 90, 100})
    void isBaselineFourTwoZeroWithoutMetadataAtAnyQuality(int quality) {
      byte[] source =
          CodecImages.insertAfterSoi(
              CodecImages.jpeg(CodecImages.photoLike(48, 32)),
              CodecImages.exifApp1(1, ByteOrder.BIG_ENDIAN));
      byte[] jpeg = codec().compress(source, ImageFormat.JPEG, quality).bytes();
      assertThat(CodecImages.markers(jpeg)).contains(0xC0).doesNotContain(0xC2, 0xE1, 0xE2);
      assertThat(CodecImages.sampling(jpeg)).containsExactly("2x2", "1x1", "1x1");
    }

    @Test
    void respectsQuality() {
      byte[] png = CodecImages.write(CodecImages.photoLike(80, 60), "png");
      int low = codec().compress(png, ImageFormat.PNG, 40).bytes().length;
      int high = codec().compress(png, ImageFormat.PNG, 95).bytes().length;
      assertThat(low).isLessThan(high);
    }

    @Test
    void optimisedHuffmanTablesMakeSmallerFiles() {
      byte[] png = CodecImages.write(CodecImages.photoLike(96, 64), "png");
      int optimised = codec(true).compress(png, ImageFormat.PNG, 80).bytes().length;
      int standard = codec(false).compress(png, ImageFormat.PNG, 80).bytes().length;
      assertThat(optimised).isLessThan(standard);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 101})
    void refusesQualityOutsideOneToHundred(int quality) {
      byte[] jpeg = CodecImages.jpeg(CodecImages.photoLike(8, 8));
      assertThatThrownBy(() -> codec().compress(jpeg, ImageFormat.JPEG, quality))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsQualityBounds() {
      byte[] jpeg = CodecImages.jpeg(CodecImages.photoLike(8, 8));
      assertThat(codec().compress(jpeg, ImageFormat.JPEG, 1).bytes()).isNotEmpty();
      assertThat(codec().compress(jpeg, ImageFormat.JPEG, 100).bytes()).isNotEmpty();
    }
  }

  @Nested
  class BadInput {

    private final byte[] photoJpeg = CodecImages.jpeg(CodecImages.photoLike(64, 48));

    @Test
    void failsTruncatedJpeg() {
      byte[] half = Arrays.copyOf(photoJpeg, photoJpeg.length / 2);
      assertPermanent(() -> codec().compress(half, ImageFormat.JPEG, 80), "corrupt image data");
    }

    @Test
    void failsJpegMissingOnlyItsEndMarker() {
      byte[] noEoi = Arrays.copyOf(photoJpeg, photoJpeg.length - 2);
      assertPermanent(() -> codec().compress(noEoi, ImageFormat.JPEG, 80), "corrupt image data");
    }

    @Test
    void failsJpegCutInsideItsHeaders() {
      byte[] cut = Arrays.copyOf(photoJpeg, 100);
      assertPermanent(() -> codec().compress(cut, ImageFormat.JPEG, 80), "corrupt image data");
      assertPermanent(
          () -> codec().probe(Arrays.copyOf(photoJpeg, 10), ImageFormat.JPEG),
          "corrupt or unsupported image");
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void failsTruncatedFilesOfEveryFormat(ImageFormat format) {
      byte[] whole = sample(format);
      byte[] half = Arrays.copyOf(whole, whole.length / 2);
      assertPermanent(() -> codec().compress(half, format, 80), corrupt(format));
    }

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void failsRandomGarbage(ImageFormat format) {
      byte[] garbage = new byte[4096];
      new Random(7).nextBytes(garbage);
      assertPermanent(() -> codec().compress(garbage, format, 80), corrupt(format));
      assertPermanent(
          () -> codec().probe(garbage, format),
          decodes(format) ? "corrupt or unsupported image" : codec().whyNotDecoded(format));
      assertPermanent(() -> codec().compress(new byte[0], format, 80), corrupt(format));
    }

    // Formats the engine does not claim fail before their bytes are looked at (see Inputs).
    private String corrupt(ImageFormat format) {
      return decodes(format) ? "corrupt image data" : codec().whyNotDecoded(format);
    }

    private boolean decodes(ImageFormat format) {
      return codec().decodes().contains(format);
    }

    @Test
    void failsGarbageBehindAValidMagic() {
      byte[] garbage = new byte[2048];
      new Random(3).nextBytes(garbage);
      garbage[0] = (byte) 0xFF;
      garbage[1] = (byte) 0xD8;
      garbage[2] = (byte) 0xFF;
      assertPermanent(() -> codec().compress(garbage, ImageFormat.JPEG, 80), "corrupt image data");
    }

    @Test
    void failsWhenFormatDoesNotMatchBytes() {
      assertPermanent(() -> codec().compress(photoJpeg, ImageFormat.PNG, 80), "corrupt image data");
    }

    @Test
    @Timeout(10)
    void probesHugeDeclaredSizeWithoutDecoding() {
      byte[] bomb = pngDeclaring(100_000, 100_000);
      ImageInfo info = codec().probe(bomb, ImageFormat.PNG);
      assertThat(info).isEqualTo(new ImageInfo(ImageFormat.PNG, 100_000, 100_000));
      assertThat(info.pixels()).isEqualTo(10_000_000_000L);
      // And compressing it anyway fails cleanly instead of exhausting memory.
      assertThatThrownBy(() -> codec().compress(bomb, ImageFormat.PNG, 80))
          .isInstanceOf(ImageFailureException.class);
    }

    /** A PNG whose IHDR (with a correct CRC) declares the size, followed by a tiny IDAT. */
    private byte[] pngDeclaring(int width, int height) {
      ByteBuffer ihdr = ByteBuffer.allocate(13);
      ihdr.putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0});
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      png.writeBytes(CodecImages.pngChunk("IHDR", ihdr.array()));
      png.writeBytes(
          CodecImages.pngChunk(
              "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
      png.writeBytes(CodecImages.pngChunk("IEND", new byte[0]));
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

  /**
   * Whether the engine stops in the middle of decoding or encoding one image at its deadline;
   * otherwise it fails the image past its deadline only once the work is done.
   */
  protected boolean stopsMidImage() {
    return true;
  }

  @Nested
  class Deadlines {

    // 6000 × 6000 pixels in a few kilobytes: seconds of decoding and encoding for every engine.
    private final byte[] slow = HostileImages.flatPng(6000, 6000);

    @Test
    void anImagePastItsDeadlineFailsAsADecodeTimeoutAndStopsEarly() {
      long start = System.nanoTime();
      codec().compress(slow, ImageFormat.PNG, 50, Deadline.none());
      long whole = System.nanoTime() - start;

      Deadline deadline = Deadline.after(java.time.Duration.ofNanos(whole / 20));
      start = System.nanoTime();
      assertThatThrownBy(() -> codec().compress(slow, ImageFormat.PNG, 50, deadline))
          .isInstanceOfSatisfying(
              ImageFailureException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.DECODE_TIMEOUT);
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).startsWith("decoding took too long");
              });
      long stopped = System.nanoTime() - start;
      if (stopsMidImage()) {
        // Stopped on the way, not at the end: a deadline at 5% ends well before half of the work.
        assertThat(stopped).isLessThan(whole / 2);
      }
    }

    @Test
    void aDeadlineThatDoesNotExpireChangesNothing() {
      EncodedImage encoded =
          codec()
              .compress(
                  HostileImages.flatPng(300, 200),
                  ImageFormat.PNG,
                  50,
                  Deadline.after(java.time.Duration.ofMinutes(1)));
      assertThat(encoded.width()).isEqualTo(300);
      assertThat(encoded.height()).isEqualTo(200);
    }
  }

  /**
   * Decodes an output in {@code format} for the checks of {@link Outputs}. JPEG and WebP decode in
   * Java (TwelveMonkeys reads WebP); AVIF has no Java decoder, so an engine that writes AVIF must
   * override this (the native engine decodes with libvips).
   */
  protected BufferedImage decodeOutput(byte[] bytes, io.imgpress.request.OutputFormat format) {
    if (format == io.imgpress.request.OutputFormat.AVIF) {
      throw new AssertionError(
          "this engine writes AVIF: override decodeOutput to decode it (no Java AVIF decoder)");
    }
    return CodecImages.decode(bytes);
  }

  /** Per-request outputs: formats, bounding box and automatic quality. */
  @Nested
  class Outputs {

    /** 400×200: left half red, right half blue, a green block at the top-left corner. */
    private byte[] halves() {
      BufferedImage image = CodecImages.filled(400, 200, BufferedImage.TYPE_INT_RGB, Color.RED);
      CodecImages.fill(image, 200, 0, 200, 200, Color.BLUE);
      CodecImages.fill(image, 0, 0, 100, 50, Color.GREEN);
      return CodecImages.write(image, "png");
    }

    private io.imgpress.request.Output output(
        io.imgpress.request.OutputFormat format, int quality, int maxWidth, int maxHeight) {
      return new io.imgpress.request.Output(format, quality, maxWidth, maxHeight);
    }

    private EncodedImage encode(byte[] source, ImageFormat format, io.imgpress.request.Output out) {
      return codec().encode(source, format, out, 0, Deadline.none());
    }

    private BufferedImage decoded(EncodedImage encoded) {
      BufferedImage image = decodeOutput(encoded.bytes(), encoded.format());
      assertThat(image.getWidth()).isEqualTo(encoded.width());
      assertThat(image.getHeight()).isEqualTo(encoded.height());
      return image;
    }

    private RgbPixels pixels(BufferedImage image) {
      int w = image.getWidth();
      int h = image.getHeight();
      byte[] rgb = new byte[w * h * 3];
      for (int y = 0, p = 0; y < h; y++) {
        for (int x = 0; x < w; x++, p += 3) {
          int v = image.getRGB(x, y);
          rgb[p] = (byte) (v >> 16);
          rgb[p + 1] = (byte) (v >> 8);
          rgb[p + 2] = (byte) v;
        }
      }
      return new RgbPixels(w, h, rgb);
    }

    private void assertMagic(byte[] bytes, io.imgpress.request.OutputFormat format) {
      String head = new String(bytes, 0, 12, java.nio.charset.StandardCharsets.ISO_8859_1);
      switch (format) {
        case JPEG -> assertThat(head).startsWith("\u00FF\u00D8\u00FF");
        case WEBP -> assertThat(head).startsWith("RIFF").endsWith("WEBP");
        case AVIF -> assertThat(head.substring(4)).isEqualTo("ftypavif");
      }
    }

    @ParameterizedTest
    @EnumSource(io.imgpress.request.OutputFormat.class)
    void writesEachFormatItClaimsWithTheSameColoursAndRefusesTheRest(
        io.imgpress.request.OutputFormat format) {
      byte[] exifJpeg =
          CodecImages.insertAfterSoi(
              CodecImages.jpeg(CodecImages.photoLike(200, 150)),
              CodecImages.exifApp1(1, ByteOrder.BIG_ENDIAN));
      if (!codec().encodes().contains(format)) {
        assertThatThrownBy(() -> encode(halves(), ImageFormat.PNG, output(format, 80, 0, 0)))
            .isInstanceOfSatisfying(
                ImageFailureException.class,
                e -> {
                  assertThat(e.isRetryable()).isFalse();
                  assertThat(e.getMessage()).contains(format.apiName()).contains("libvips");
                });
        return;
      }
      EncodedImage encoded = encode(halves(), ImageFormat.PNG, output(format, 90, 0, 0));

      assertThat(encoded.format()).isEqualTo(format);
      assertThat(encoded.quality()).isEqualTo(90);
      assertMagic(encoded.bytes(), format);
      BufferedImage out = decoded(encoded);
      assertThat(out.getWidth()).isEqualTo(400);
      assertThat(out.getHeight()).isEqualTo(200);
      assertRgb(out, 100, 120, 255, 0, 0, 24);
      assertRgb(out, 300, 100, 0, 0, 255, 24);
      assertRgb(out, 40, 20, 0, 255, 0, 24);
      // No metadata: no EXIF (so no orientation) in any container.
      byte[] fromExif = encode(exifJpeg, ImageFormat.JPEG, output(format, 80, 0, 0)).bytes();
      assertThat(new String(fromExif, java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain("Exif")
          .doesNotContain("EXIF");
      byte[] photo = CodecImages.write(CodecImages.photoLike(200, 150), "png");
      assertThat(encode(photo, ImageFormat.PNG, output(format, 30, 0, 0)).bytes().length)
          .isLessThan(encode(photo, ImageFormat.PNG, output(format, 90, 0, 0)).bytes().length);
    }

    @Test
    void anEngineWritesJpegAlways() {
      assertThat(codec().encodes()).contains(io.imgpress.request.OutputFormat.JPEG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"100x0", "0x50", "100x100", "150x40", "1000x1000", "400x0", "0x0"})
    void fitsTheBoxKeepingTheAspectAndNeverEnlarges(String box) {
      int maxWidth = Integer.parseInt(box.substring(0, box.indexOf('x')));
      int maxHeight = Integer.parseInt(box.substring(box.indexOf('x') + 1));
      Size expected = new Size(400, 200).fitWithin(maxWidth, maxHeight);
      for (io.imgpress.request.OutputFormat format : codec().encodes()) {
        EncodedImage encoded =
            encode(halves(), ImageFormat.PNG, output(format, 90, maxWidth, maxHeight));

        assertThat(new Size(encoded.width(), encoded.height()))
            .as(format + " " + box)
            .isEqualTo(expected);
        BufferedImage out = decoded(encoded);
        int w = out.getWidth();
        int h = out.getHeight();
        assertRgb(out, w / 4, h * 3 / 4, 255, 0, 0, 30);
        assertRgb(out, w * 3 / 4, h / 2, 0, 0, 255, 30);
      }
      assertThat(expected.width() * 2).isEqualTo(expected.height() * 4);
    }

    @Test
    void turnsTheImageUprightBeforeFittingTheBox() {
      // 256×128 stored, red top-left, blue top-right, green bottom-left; orientation 6 shows it
      // 128×256 with red at the top-right. Fitting 64 pixels wide must give 64×128, not 32×64.
      BufferedImage stored = CodecImages.filled(256, 128, BufferedImage.TYPE_INT_RGB, Color.WHITE);
      CodecImages.fill(stored, 0, 0, 64, 64, Color.RED);
      CodecImages.fill(stored, 192, 0, 64, 64, Color.BLUE);
      CodecImages.fill(stored, 0, 64, 64, 64, Color.GREEN);
      byte[] source =
          CodecImages.insertAfterSoi(
              CodecImages.jpeg(stored), CodecImages.exifApp1(6, ByteOrder.BIG_ENDIAN));

      for (io.imgpress.request.OutputFormat format : codec().encodes()) {
        EncodedImage encoded = encode(source, ImageFormat.JPEG, output(format, 90, 64, 0));

        assertThat(encoded.width()).as(format.apiName()).isEqualTo(64);
        assertThat(encoded.height()).isEqualTo(128);
        BufferedImage out = decoded(encoded);
        assertRgb(out, 48, 16, 255, 0, 0, 40); // red: top-right
        assertRgb(out, 48, 112, 0, 0, 255, 40); // blue: bottom-right
        assertRgb(out, 16, 16, 0, 255, 0, 40); // green: top-left
      }
    }

    @Test
    void makesThePreviewFromTheFullSizeSource() {
      EncodedImage encoded =
          codec()
              .encode(
                  halves(),
                  ImageFormat.PNG,
                  output(io.imgpress.request.OutputFormat.JPEG, 80, 100, 0),
                  320,
                  Deadline.none());
      assertThat(encoded.width()).isEqualTo(100);
      BufferedImage preview = CodecImages.decode(encoded.preview());
      assertThat(preview.getWidth()).isEqualTo(320);
      assertThat(preview.getHeight()).isEqualTo(160);
    }

    /** A smooth gradient: detail-free, so low qualities already look like the source. */
    private BufferedImage flat(int w, int h) {
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = 60 + x * 120 / w;
          image.setRGB(x, y, v << 16 | (200 - y * 100 / h) << 8 | 120);
        }
      }
      return image;
    }

    /** Fine random texture over a gradient: every quality step shows. */
    private BufferedImage noisy(int w, int h) {
      BufferedImage image = flat(w, h);
      Random random = new Random(5);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = image.getRGB(x, y);
          int n = random.nextInt(61) - 30;
          int r = Math.clamp((rgb >> 16 & 0xFF) + n, 0, 255);
          int g = Math.clamp((rgb >> 8 & 0xFF) + n, 0, 255);
          image.setRGB(x, y, r << 16 | g << 8 | (rgb & 0xFF));
        }
      }
      return image;
    }

    @Test
    void autoQualityReachesTheTargetAtALowerQualityForAFlatImageThanForANoisyOne() {
      double target = AutoQuality.DEFAULT_TARGET;
      for (io.imgpress.request.OutputFormat format : codec().encodes()) {
        BufferedImage flatImage = flat(320, 240);
        BufferedImage noisyImage = noisy(320, 240);
        EncodedImage flat =
            encode(
                CodecImages.write(flatImage, "png"),
                ImageFormat.PNG,
                output(format, io.imgpress.request.Output.AUTO_QUALITY, 0, 0));
        EncodedImage noisy =
            encode(
                CodecImages.write(noisyImage, "png"),
                ImageFormat.PNG,
                output(format, io.imgpress.request.Output.AUTO_QUALITY, 0, 0));

        assertThat(flat.quality())
            .as(format.apiName())
            .isBetween(AutoQuality.MIN_QUALITY, AutoQuality.MAX_QUALITY)
            .isLessThan(noisy.quality());
        assertThat(noisy.quality()).isBetween(AutoQuality.MIN_QUALITY, AutoQuality.MAX_QUALITY);
        // Measured as the search does, on pixels decoded elsewhere (rounding may differ a hair).
        assertThat(Ssim.of(pixels(flatImage), pixels(decoded(flat)))).isGreaterThan(target - 0.002);
        assertThat(Ssim.of(pixels(noisyImage), pixels(decoded(noisy))))
            .isGreaterThan(target - 0.002);
        // The quality chosen is the one written: the same as asking for it.
        assertThat(
                encode(
                        CodecImages.write(noisyImage, "png"),
                        ImageFormat.PNG,
                        output(format, noisy.quality(), 0, 0))
                    .bytes())
            .isEqualTo(noisy.bytes());
      }
    }

    /** Waves of a few pixels over a gradient, the same all over: a texture every quality shows. */
    private BufferedImage waves(int w, int h) {
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int wave = (int) Math.round(30 * Math.sin(x * 0.7) * Math.cos(y * 0.45));
          int r = Math.clamp(60 + x * 100 / w + wave, 0, 255);
          int g = Math.clamp(160 - y * 80 / h + wave, 0, 255);
          image.setRGB(x, y, r << 16 | g << 8 | 110);
        }
      }
      return image;
    }

    @Test
    void autoQualityOfALargeImageIsChosenOnAProxyAndTheWholeOutputStillReachesTheTarget() {
      // 1600×1000 is over every format's proxy size, so the search ran on tiles of it.
      BufferedImage large = waves(1600, 1000);
      byte[] png = CodecImages.write(large, "png");
      RgbPixels source = pixels(large);
      for (io.imgpress.request.OutputFormat format : codec().encodes()) {
        EncodedImage encoded =
            encode(
                png,
                ImageFormat.PNG,
                output(format, io.imgpress.request.Output.AUTO_QUALITY, 0, 0));
        assertThat(encoded.width()).isEqualTo(1600);
        assertThat(encoded.quality()).as(format.apiName()).isLessThan(AutoQuality.MAX_QUALITY);
        assertThat(Ssim.of(source, pixels(decoded(encoded))))
            .as(format.apiName() + " at q" + encoded.quality())
            .isGreaterThan(AutoQuality.DEFAULT_TARGET - 0.002);
      }
    }
  }
}
