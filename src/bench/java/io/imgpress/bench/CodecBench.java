package io.imgpress.bench;

import io.imgpress.processing.Codec;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.FormatSniffer;
import io.imgpress.processing.ImageFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Times one codec engine over a set of image files, the way the service's workers use it: a fixed
 * pool of {@code --threads} threads, each decoding and re-encoding one in-memory image at a time.
 * Files are read before timing; one untimed warm-up pass over all of them precedes {@code --passes}
 * timed ones. Prints one {@code RESULT key=value …} line for {@code bench/codec.sh}.
 *
 * <pre>
 * java -Dloader.path=target/bench-classes -Dloader.main=io.imgpress.bench.CodecBench \
 *     -cp target/imgpress.jar org.springframework.boot.loader.launch.PropertiesLauncher \
 *     --engine portable [--threads 2] [--quality 50] [--passes 1] FILE...
 * java … generate DIR     # writes the default sample images (see SampleImages)
 * </pre>
 *
 * Exits with status 3 and an {@code UNAVAILABLE} line when the engine cannot run here.
 */
public final class CodecBench {

  private CodecBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("generate")) {
      SampleImages.writeAll(Path.of(args[1]));
      return;
    }
    String engine = "portable";
    int threads = 2;
    int quality = 50;
    int passes = 1;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--engine" -> engine = args[++i];
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--quality" -> quality = Integer.parseInt(args[++i]);
        case "--passes" -> passes = Integer.parseInt(args[++i]);
        default -> files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files");
    }

    List<Input> inputs = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      ImageFormat format =
          FormatSniffer.sniff(bytes)
              .orElseThrow(() -> new IOException("not an accepted image: " + file));
      inputs.add(new Input(bytes, format));
    }

    Codec codec;
    try {
      codec = Engines.create(engine);
    } catch (Engines.UnavailableException e) {
      System.out.println("UNAVAILABLE engine=" + engine + " reason=" + oneLine(e.getMessage()));
      System.exit(3);
      return;
    }

    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      Totals warm = run(pool, codec, inputs, quality, 1);
      long cpuStart = cpuNanos();
      long start = System.nanoTime();
      Totals timed = run(pool, codec, inputs, quality, passes);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;

      long inBytes = inputs.stream().mapToLong(in -> in.bytes.length).sum();
      System.out.printf(
          Locale.ROOT,
          "RESULT engine=%s codec=%s threads=%d quality=%d passes=%d images=%d mp=%.3f in_bytes=%d"
              + " out_bytes=%d seconds=%.4f cpu_s=%.3f failed=%d rss_mb=%.1f%n",
          engine,
          codec.getClass().getSimpleName(),
          threads,
          quality,
          passes,
          inputs.size(),
          warm.pixels / 1e6,
          inBytes,
          warm.outBytes,
          seconds,
          cpuSeconds,
          warm.failed + timed.failed,
          PeakRss.megabytes());
    }
  }

  private record Input(byte[] bytes, ImageFormat format) {}

  private record Totals(long pixels, long outBytes, int failed) {}

  /** Every input {@code passes} times through the pool; pixels and bytes of one pass. */
  private static Totals run(
      ExecutorService pool, Codec codec, List<Input> inputs, int quality, int passes)
      throws InterruptedException {
    List<Future<EncodedImage>> results = new ArrayList<>();
    for (int pass = 0; pass < passes; pass++) {
      for (Input in : inputs) {
        results.add(pool.submit(() -> codec.compress(in.bytes, in.format, quality)));
      }
    }
    long pixels = 0;
    long outBytes = 0;
    int failed = 0;
    for (Future<EncodedImage> result : results) {
      try {
        EncodedImage image = result.get();
        pixels += (long) image.width() * image.height();
        outBytes += image.bytes().length;
      } catch (ExecutionException e) {
        failed++;
        System.err.println("failed: " + e.getCause());
      }
    }
    return new Totals(pixels / passes, outBytes / passes, failed);
  }

  /** CPU time of the whole process (all threads: workers, native code, JIT, GC). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
