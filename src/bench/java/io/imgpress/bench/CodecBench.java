package io.imgpress.bench;

import io.imgpress.processing.Codec;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Deadline;
import io.imgpress.processing.FormatSniffer;
import io.imgpress.processing.ImageFormat;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
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
 *     --engine portable [--threads 2] [--quality 50|auto] [--format jpeg|webp|avif] [--passes 1] FILE...
 * java … generate DIR     # writes the default sample images (see SampleImages)
 * </pre>
 *
 * Each image goes through {@link Codec#encode} at full size in the given output format (the
 * engines' WebP and AVIF settings match sharp's defaults: see {@code bench/sharp-bench.cjs}); with
 * {@code --quality auto} each image's quality is chosen as the service does, and the RESULT line
 * tells the qualities chosen. Exits with status 3 and an {@code UNAVAILABLE} line when the engine
 * cannot run here, or cannot write the format.
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
    OutputFormat outputFormat = OutputFormat.JPEG;
    int passes = 1;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--engine" -> engine = args[++i];
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--quality" -> {
          String q = args[++i];
          quality = q.equals("auto") ? Output.AUTO_QUALITY : Integer.parseInt(q);
        }
        case "--format" -> {
          String name = args[++i];
          outputFormat =
              OutputFormat.fromApiName(name)
                  .orElseThrow(() -> new IllegalArgumentException("unknown format " + name));
        }
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
    if (!codec.encodes().contains(outputFormat)) {
      System.out.println(
          "UNAVAILABLE engine=" + engine + " reason=does not write " + outputFormat.apiName());
      System.exit(3);
      return;
    }
    Output output = new Output(outputFormat, quality, 0, 0);

    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      Totals warm = run(pool, codec, inputs, output, 1);
      long cpuStart = cpuNanos();
      long start = System.nanoTime();
      Totals timed = run(pool, codec, inputs, output, passes);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;

      long inBytes = inputs.stream().mapToLong(in -> in.bytes.length).sum();
      System.out.printf(
          Locale.ROOT,
          "RESULT engine=%s codec=%s threads=%d format=%s quality=%s passes=%d images=%d mp=%.3f"
              + " in_bytes=%d out_bytes=%d seconds=%.4f cpu_s=%.3f failed=%d rss_mb=%.1f%s%n",
          engine,
          codec.getClass().getSimpleName(),
          threads,
          outputFormat.apiName(),
          output.autoQuality() ? "auto" : Integer.toString(quality),
          passes,
          inputs.size(),
          warm.pixels / 1e6,
          inBytes,
          warm.outBytes,
          seconds,
          cpuSeconds,
          warm.failed + timed.failed,
          PeakRss.megabytes(),
          output.autoQuality() ? " chosen=" + warm.qualities() : "");
    }
  }

  private record Input(byte[] bytes, ImageFormat format) {}

  /**
   * @param qualities the quality of each image of the warm-up pass, in input order, comma-separated
   */
  private record Totals(long pixels, long outBytes, int failed, String qualities) {}

  /** Every input {@code passes} times through the pool; pixels and bytes of one pass. */
  private static Totals run(
      ExecutorService pool, Codec codec, List<Input> inputs, Output output, int passes)
      throws InterruptedException {
    List<Future<EncodedImage>> results = new ArrayList<>();
    for (int pass = 0; pass < passes; pass++) {
      for (Input in : inputs) {
        results.add(
            pool.submit(() -> codec.encode(in.bytes, in.format, output, 0, Deadline.none())));
      }
    }
    long pixels = 0;
    long outBytes = 0;
    int failed = 0;
    List<String> qualities = new ArrayList<>();
    for (Future<EncodedImage> result : results) {
      try {
        EncodedImage image = result.get();
        if (qualities.size() < inputs.size()) {
          qualities.add(Integer.toString(image.quality()));
        }
        pixels += (long) image.width() * image.height();
        outBytes += image.bytes().length;
      } catch (ExecutionException e) {
        failed++;
        System.err.println("failed: " + e.getCause());
      }
    }
    return new Totals(pixels / passes, outBytes / passes, failed, String.join(",", qualities));
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
