package io.imgpress.processing.vips;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.Codec;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Slow checks, not in the default run: {@code ./mvnw test -Dgroups=soak}. Whether the native engine
 * frees everything (resident memory stays flat over 10,000 images through every path: plain,
 * rotated, alpha, CMYK, corrupt), and a rough per-image timing of both engines on 12 MP.
 */
@Tag("soak")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VipsSoakTest {

  private VipsCodec vips;

  @BeforeEach
  void libvips() {
    Assumptions.assumeTrue(VipsLibrary.isAvailable(), "libvips42 not installed");
    vips = new VipsCodec(true, new ImageIoCodec());
  }

  // First, before the 12 MP timing grows the heap and so the baseline.
  @Test
  @Order(1)
  void residentMemoryStaysFlatOverTenThousandImages() throws Exception {
    List<Source> sources = smallSources();
    int images = 10_000;
    long[] rss = new long[images];
    int failures = 0;
    for (int i = 0; i < images; i++) {
      Source source = sources.get(i % sources.size());
      try {
        vips.compress(source.bytes(), source.format(), 50 + i % 40);
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

  @Test
  @Order(2)
  void timesTwelveMegapixelImages() throws Exception {
    BufferedImage photo = CodecImages.photoLike(4000, 3000);
    CodecImages.fill(photo, 100, 100, 800, 600, Color.ORANGE);
    byte[] jpeg = CodecImages.jpeg(photo, 0.9f, false);
    byte[] rotated =
        CodecImages.insertAfterSoi(jpeg, CodecImages.exifApp1(6, ByteOrder.BIG_ENDIAN));
    byte[] png = CodecImages.write(photo, "png");
    Codec portable = new ImageIoCodec();
    for (int threads : new int[] {0, 1}) {
      String label = threads == 0 ? "libvips 1 thread per core" : "libvips 1 thread per image";
      VipsLibrary.get().concurrency(threads);
      time("native   JPEG 12MP, " + label, vips, jpeg, ImageFormat.JPEG);
      time("native   JPEG 12MP rotated, " + label, vips, rotated, ImageFormat.JPEG);
      time("native   PNG  12MP, " + label, vips, png, ImageFormat.PNG);
      throughput("native   JPEG 12MP x8 on 2 workers, " + label, vips, jpeg);
    }
    time("portable JPEG 12MP", portable, jpeg, ImageFormat.JPEG);
    time("portable JPEG 12MP rotated", portable, rotated, ImageFormat.JPEG);
    time("portable PNG  12MP", portable, png, ImageFormat.PNG);
    throughput("portable JPEG 12MP x8 on 2 workers", portable, jpeg);
  }

  private static void time(String label, Codec codec, byte[] source, ImageFormat format) {
    codec.compress(source, format, 50); // warm-up
    long[] ms = new long[3];
    int size = 0;
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      size = codec.compress(source, format, 50).jpeg().length;
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    Arrays.sort(ms);
    System.out.printf("timing: %-58s median %5d ms  (%d KB out)%n", label, ms[1], size / 1024);
  }

  private static void throughput(String label, Codec codec, byte[] jpeg) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        done.add(pool.submit(() -> codec.compress(jpeg, ImageFormat.JPEG, 50)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("timing: %-58s %5d ms per image%n", label, ms / 8);
    } finally {
      pool.shutdownNow();
    }
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
