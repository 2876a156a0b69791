package io.imgpress.processing.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.Codec;
import io.imgpress.processing.CodecContract;
import io.imgpress.processing.CodecImages;
import io.imgpress.processing.FormatSniffer;
import io.imgpress.processing.ImageFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The portable engine against the codec contract, plus what is particular to it. */
class ImageIoCodecTest extends CodecContract {

  private final ImageIoCodec optimised = new ImageIoCodec(true);
  private final ImageIoCodec standard = new ImageIoCodec(false);

  @Override
  protected Codec codec(boolean optimizeCoding) {
    return optimizeCoding ? optimised : standard;
  }

  // TwelveMonkeys has no CMYK profile to fall back on; it converts naively (R = 255 - C - K ...),
  // so inks come out as screen primaries, brighter than any print would show them.
  @Override
  protected int[] untaggedCyan() {
    return new int[] {0, 255, 255};
  }

  @Override
  protected int[] untaggedMagenta() {
    return new int[] {255, 0, 255};
  }

  @Test
  void sniffedFixturesMatchTheirFormats() {
    assertThat(FormatSniffer.sniff(CodecImages.resource("lossy.webp"))).contains(ImageFormat.WEBP);
    assertThat(FormatSniffer.sniff(CodecImages.resource("cmyk-ycck.jpg")))
        .contains(ImageFormat.JPEG);
    assertThat(new String(CodecImages.resource("adobe-rgb.png"), 1, 3, StandardCharsets.US_ASCII))
        .isEqualTo("PNG");
  }

  @Test
  void readsWhatItsLibrariesReadAndSendsTheRestToTheNativeEngine() {
    assertThat(optimised.decodes())
        .containsExactlyInAnyOrder(
            ImageFormat.JPEG,
            ImageFormat.PNG,
            ImageFormat.GIF,
            ImageFormat.BMP,
            ImageFormat.WEBP,
            ImageFormat.TIFF);
    assertThat(optimised.whyNotDecoded(ImageFormat.AVIF))
        .isEqualTo(
            "AVIF images need the native engine (libvips); this service runs the portable engine");
    assertThat(optimised.whyNotDecoded(ImageFormat.HEIF)).startsWith("HEIC/HEIF images need");
    assertThat(optimised.whyNotDecoded(ImageFormat.JXL)).startsWith("JPEG XL images need");
    assertThat(optimised.whyNotDecoded(ImageFormat.JP2)).startsWith("JPEG 2000 images need");
  }

  @Test
  void optimisesHuffmanTablesByDefault() {
    byte[] png = CodecImages.write(CodecImages.photoLike(96, 64), "png");
    assertThat(new ImageIoCodec().compress(png, ImageFormat.PNG, 80).bytes())
        .isEqualTo(optimised.compress(png, ImageFormat.PNG, 80).bytes());
  }
}
