package io.imgpress.processing.vips;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.CodecImages;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFormat;
import io.imgpress.processing.imageio.ImageIoCodec;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slow check, not in the default run: {@code ./mvnw test -Dgroups=soak}. Whether the native engine
 * frees everything: resident memory stays flat over 10,000 images through every path (plain,
 * rotated, alpha, CMYK, corrupt). Timings of the engines belong to {@code bench/codec.sh}.
 */
@Tag("soak")
class VipsSoakTest {

  private VipsCodec vips;

  @BeforeEach
  void libvips() {
    Assumptions.assumeTrue(VipsLibrary.isAvailable(), "libvips42 not installed");
    vips = new VipsCodec(true, new ImageIoCodec(), 0);
  }

  @Test
  void residentMemoryStaysFlatOverTenThousandImages() throws Exception {
    List<Source> sources = smallSources();
    int images = 10_000;
    long[] rss = new long[images];
    int failures = 0;
    for (int i = 0; i < images; i++) {
      Source source = sources.get(i % sources.size());
      try {
        // Every other image with a preview: its second, shrunk decode must be freed too.
        vips.compress(source.bytes(), source.format(), 50 + i % 40, i % 2 == 0 ? 0 : 200);
      } catch (ImageFailureException expected) {
        failures++;
      }
      rss[i] = residentKb();
      if (i % 1000 == 999) {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
            "soak: after %5d images VmRSS %.1f MB, Java heap committed %.1f MB%n",
            i + 1, rss[i] / 1024.0, rt.totalMemory() / 1048576.0);
      }
    }
    double early = average(rss, 1000, 2000);
    double late = average(rss, images - 1000, images);
    System.out.printf(
        "soak: %d images (%d corrupt), VmRSS avg images 1000-2000 = %.1f MB, last 1000 = %.1f MB"
            + " (%+.1f%%), libvips tracked memory after = %d bytes%n",
        images,
        failures,
        early / 1024,
        late / 1024,
        (late / early - 1) * 100,
        VipsLibrary.get().trackedMemory());
    assertThat(late).isLessThanOrEqualTo(early * 1.15);
    // The heap is fixed and pre-touched (see the pom), so even a few KB per image would show.
    assertThat(late - early).as("growth in KB").isLessThan(32 * 1024);
    assertThat(VipsLibrary.get().trackedMemory()).isZero();
  }

  private record Source(byte[] bytes, ImageFormat format) {}

  private static List<Source> smallSources() {
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] jpeg = CodecImages.jpeg(CodecImages.photoLike(320 + 16 * i, 240));
      sources.add(new Source(jpeg, ImageFormat.JPEG));
      sources.add(
          new Source(
              CodecImages.insertAfterSoi(jpeg, CodecImages.exifApp1(1 + i, ByteOrder.BIG_ENDIAN)),
              ImageFormat.JPEG));
    }
    BufferedImage argb = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
    CodecImages.fill(argb, 0, 0, 150, 200, new Color(255, 0, 0, 128));
    sources.add(new Source(CodecImages.write(argb, "png"), ImageFormat.PNG));
    sources.add(
        new Source(
            CodecImages.adobeJpeg(200, 150, new int[] {0, 255, 255, 255}, 0), ImageFormat.JPEG));
    sources.add(new Source(CodecImages.resource("lossless-alpha.webp"), ImageFormat.WEBP));
    sources.add(
        new Source(CodecImages.write(CodecImages.photoLike(120, 90), "gif"), ImageFormat.GIF));
    byte[] whole = sources.getFirst().bytes();
    sources.add(new Source(Arrays.copyOf(whole, whole.length / 2), ImageFormat.JPEG));
    sources.add(new Source(whole, ImageFormat.PNG));
    return sources;
  }

  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static double average(long[] values, int from, int to) {
    return Arrays.stream(values, from, to).average().orElseThrow();
  }
}
