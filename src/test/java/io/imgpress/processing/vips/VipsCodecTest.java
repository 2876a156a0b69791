package io.imgpress.processing.vips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.Codec;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.Size;
import io.imgpress.processing.CodecContract;
import io.imgpress.processing.CodecImages;
import io.imgpress.processing.Deadline;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFormat;
import io.imgpress.processing.RgbPixels;
import io.imgpress.processing.TiffImages;
import io.imgpress.processing.imageio.ImageIoCodec;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native engine against the codec contract, plus what is particular to it. */
class VipsCodecTest extends CodecContract {

  private static VipsCodec optimised;
  private static VipsCodec standard;

  // Per test, not per class: an assumption failing in @BeforeAll aborts the class, and Surefire
  // then counts nothing at all, which reads like a pass.
  @BeforeEach
  void libvips() {
    Assumptions.assumeTrue(
        VipsLibrary.isAvailable(),
        () ->
            "libvips42 not installed (apt-get install libvips42): "
                + VipsLibrary.unavailableReason());
    if (optimised == null) {
      optimised = new VipsCodec(true, new ImageIoCodec(true), 0);
      standard = new VipsCodec(false, new ImageIoCodec(false), 0);
    }
  }

  @Override
  protected Codec codec(boolean optimizeCoding) {
    return optimizeCoding ? optimised : standard;
  }

  // See VipsCodec#compress with a deadline: libvips 8.14 runs one call to its end.
  @Override
  protected boolean stopsMidImage() {
    return false;
  }

  // libvips' built-in CMYK profile, close to what print standards (SWOP, FOGRA) give.
  @Override
  protected int[] untaggedCyan() {
    return new int[] {0, 157, 228};
  }

  @Override
  protected int[] untaggedMagenta() {
    return new int[] {235, 23, 133};
  }

  /** WebP and AVIF outputs decoded by libvips itself (JPEG too, for the same pixels). */
  @Override
  protected BufferedImage decodeOutput(byte[] bytes, OutputFormat format) {
    RgbPixels pixels;
    try (VipsCall call = new VipsCall(VipsLibrary.get())) {
      pixels = call.decode(bytes);
    }
    BufferedImage image =
        new BufferedImage(pixels.width(), pixels.height(), BufferedImage.TYPE_INT_RGB);
    byte[] rgb = pixels.rgb();
    for (int y = 0, p = 0; y < pixels.height(); y++) {
      for (int x = 0; x < pixels.width(); x++, p += 3) {
        image.setRGB(x, y, (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF));
      }
    }
    return image;
  }

  @Test
  void writesJpegWebpAndAvifWithThisLibvips() {
    // The Debian libvips these tests run on has libwebp and libheif with aom.
    assertThat(optimised.encodes()).containsExactlyInAnyOrder(OutputFormat.values());
  }

  @Test
  void handsSmallImagesToThePortableEngineOnlyForTheFormatsItWrites() {
    VipsCodec service = new VipsCodec(true, new ImageIoCodec(true));
    byte[] small = CodecImages.jpeg(CodecImages.photoLike(64, 64));
    EncodedImage webp =
        service.encode(
            small, ImageFormat.JPEG, new Output(OutputFormat.WEBP, 60, 0, 0), 0, Deadline.none());
    assertThat(webp.format()).isEqualTo(OutputFormat.WEBP);
    assertThat(webp.width()).isEqualTo(64);
  }

  @Test
  void writesWebpAndAvifFromBmpThroughThePortableEngine() {
    byte[] bmp =
        CodecImages.write(
            CodecImages.filled(300, 200, BufferedImage.TYPE_INT_RGB, Color.ORANGE), "bmp");
    for (OutputFormat format : List.of(OutputFormat.WEBP, OutputFormat.AVIF)) {
      EncodedImage out =
          optimised.encode(
              bmp, ImageFormat.BMP, new Output(format, 80, 150, 0), 100, Deadline.none());
      assertThat(out.format()).isEqualTo(format);
      assertThat(out.width()).isEqualTo(150);
      assertThat(out.height()).isEqualTo(100);
      assertThat(out.preview()).isNotNull();
      CodecImages.assertRgb(decodeOutput(out.bytes(), format), 75, 50, 255, 200, 0, 12);
    }
  }

  @Test
  void shrinksJpegsOnLoadLeavingLanczosAtLeastTwiceTheSize() {
    assertThat(VipsCodec.shrinkOnLoad(new Size(1600, 1200), new Size(100, 75))).isEqualTo(8);
    assertThat(VipsCodec.shrinkOnLoad(new Size(1600, 1200), new Size(200, 150))).isEqualTo(4);
    assertThat(VipsCodec.shrinkOnLoad(new Size(1600, 1200), new Size(401, 301))).isEqualTo(1);
    assertThat(VipsCodec.shrinkOnLoad(new Size(1600, 1200), new Size(1600, 1200))).isEqualTo(1);
    assertThat(VipsCodec.shrinkOnLoad(new Size(100_000, 1_000), new Size(1_000, 10))).isEqualTo(8);
  }

  @Test
  void scalesALargeTurnedJpegDownThroughShrinkOnLoad() {
    // 1600×1200 stored, red left half, blue right half; orientation 6 shows it 1200×1600 with red
    // on top. A 150-pixel-wide box: 150×200, decoded at 1/4 (400×300 stored) first.
    BufferedImage stored = CodecImages.filled(1600, 1200, BufferedImage.TYPE_INT_RGB, Color.RED);
    CodecImages.fill(stored, 800, 0, 800, 1200, Color.BLUE);
    byte[] jpeg =
        CodecImages.insertAfterSoi(
            CodecImages.jpeg(stored), CodecImages.exifApp1(6, java.nio.ByteOrder.BIG_ENDIAN));
    for (OutputFormat format : OutputFormat.values()) {
      EncodedImage out =
          optimised.encode(
              jpeg, ImageFormat.JPEG, new Output(format, 90, 150, 0), 0, Deadline.none());
      assertThat(out.width()).isEqualTo(150);
      assertThat(out.height()).isEqualTo(200);
      BufferedImage shown = decodeOutput(out.bytes(), format);
      CodecImages.assertRgb(shown, 75, 40, 255, 0, 0, 30);
      CodecImages.assertRgb(shown, 75, 160, 0, 0, 255, 30);
    }
  }

  @Test
  void reportsTheLibvipsVersion() {
    assertThat(optimised.version()).matches("8\\.\\d+\\.\\d+");
  }

  @Test
  void handsBmpToThePortableEngine() {
    byte[] bmp =
        CodecImages.write(
            CodecImages.filled(12, 6, BufferedImage.TYPE_INT_RGB, Color.ORANGE), "bmp");
    assertThat(optimised.compress(bmp, ImageFormat.BMP, 70).bytes())
        .isEqualTo(new ImageIoCodec(true).compress(bmp, ImageFormat.BMP, 70).bytes());
  }

  @Test
  void handsSmallImagesToThePortableEngineAndCodesLargerOnesItself() {
    VipsCodec service = new VipsCodec(true, new ImageIoCodec(true));
    byte[] small = CodecImages.jpeg(CodecImages.photoLike(128, 128));
    byte[] larger = CodecImages.jpeg(CodecImages.photoLike(129, 128));

    assertThat(service.compress(small, ImageFormat.JPEG, 50).bytes())
        .isEqualTo(new ImageIoCodec(true).compress(small, ImageFormat.JPEG, 50).bytes());
    assertThat(service.compress(larger, ImageFormat.JPEG, 50).bytes())
        .isEqualTo(optimised.compress(larger, ImageFormat.JPEG, 50).bytes())
        .isNotEqualTo(new ImageIoCodec(true).compress(larger, ImageFormat.JPEG, 50).bytes());
  }

  @Test
  void readsEveryFormatWithDebiansLibvips() {
    // libvips42 of Debian 12 has the heif (libheif with libde265 and dav1d), jxl, jp2k and tiff
    // loaders; BMP goes to the portable engine. A libvips without one would leave it out.
    assertThat(optimised.decodes()).containsExactlyInAnyOrder(ImageFormat.values());
  }

  @Test
  void codesSmallImagesOfFormatsThePortableEngineDoesNotReadItself() {
    VipsCodec service = new VipsCodec(true, new ImageIoCodec(true));
    byte[] heic = fixture("halves.heic");
    byte[] tiff = TiffImages.tiff(TiffImages.Page.rgb(32, 16, TiffImages.flat(220, 40, 40)));

    assertThat(service.compress(heic, ImageFormat.HEIF, 50).bytes())
        .isEqualTo(optimised.compress(heic, ImageFormat.HEIF, 50).bytes());
    assertThat(service.compress(tiff, ImageFormat.TIFF, 50).bytes())
        .isEqualTo(new ImageIoCodec(true).compress(tiff, ImageFormat.TIFF, 50).bytes())
        .isNotEqualTo(optimised.compress(tiff, ImageFormat.TIFF, 50).bytes());
  }

  @Test
  void namesTheFormatWhenTheLoaderGivesNoReason() {
    // libpng only warns "Not a PNG file"; the error must still say something useful.
    byte[] jpeg = CodecImages.jpeg(CodecImages.photoLike(16, 16));
    assertThatThrownBy(() -> optimised.compress(jpeg, ImageFormat.PNG, 80))
        .isInstanceOf(ImageFailureException.class)
        .hasMessage("corrupt image data: unreadable PNG data");
  }

  @Test
  void aHeicLeavesNoErrorTextBehindForTheNextFailure() {
    // libheif's reader probes past the end of the file, which libvips records as an error.
    optimised.compress(fixture("halves.heic"), ImageFormat.HEIF, 80);
    byte[] jpeg = CodecImages.jpeg(CodecImages.photoLike(16, 16));
    assertThatThrownBy(() -> optimised.compress(jpeg, ImageFormat.PNG, 80))
        .hasMessage("corrupt image data: unreadable PNG data");
  }

  @Test
  void saysWhatIsWrongWithATruncatedJpeg() {
    byte[] jpeg = CodecImages.jpeg(CodecImages.photoLike(64, 48));
    byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertThatThrownBy(() -> optimised.compress(half, ImageFormat.JPEG, 80))
        .hasMessage("corrupt image data: Premature end of input file");
  }

  @Test
  void compressesFromManyThreadsAtOnce() throws Exception {
    List<byte[]> sources = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      BufferedImage image = CodecImages.photoLike(200 + i * 10, 150);
      sources.add(CodecImages.jpeg(image));
    }
    List<byte[]> expected = new ArrayList<>();
    for (byte[] source : sources) {
      expected.add(optimised.compress(source, ImageFormat.JPEG, 60).bytes());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        for (byte[] source : sources) {
          results.add(pool.submit(() -> optimised.compress(source, ImageFormat.JPEG, 60).bytes()));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(expected.get(i % sources.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
