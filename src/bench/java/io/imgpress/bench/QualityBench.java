package io.imgpress.bench;

import io.imgpress.processing.Codec;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Deadline;
import io.imgpress.processing.FormatSniffer;
import io.imgpress.processing.ImageFormat;
import io.imgpress.processing.RgbPixels;
import io.imgpress.processing.Ssim;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * What {@code quality=auto} buys against a fixed quality, for {@code bench/quality.sh}: each image
 * is encoded at the fixed quality and at automatic quality with one engine, both written next to a
 * PNG of the source's pixels (the reference the perceptual scores compare with).
 *
 * <pre>
 * java … QualityBench encode --engine native --format webp --quality 50 --out DIR FILE...
 *     prints "IMAGE name=… megapixels=… fixed_bytes=… auto_bytes=… auto_quality=… ms_fixed=… ms_auto=…"
 * java … QualityBench ssim REFERENCE.png DECODED.png
 *     prints the SSIM of the second against the first, as the service computes it
 * </pre>
 */
public final class QualityBench {

  private QualityBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("ssim")) {
      System.out.printf(Locale.ROOT, "%.5f%n", Ssim.of(pixels(args[1]), pixels(args[2])));
      return;
    }
    if (args.length > 1 && args[0].equals("sweep")) {
      sweep(args);
      return;
    }
    if (args.length == 0 || !args[0].equals("encode")) {
      throw new IllegalArgumentException(
          "usage: encode --engine E --format F --quality Q --out DIR FILE... | ssim A B");
    }
    String engine = "native";
    OutputFormat format = OutputFormat.JPEG;
    int quality = 50;
    Path out = Path.of("target/bench-results/quality");
    List<Path> files = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--engine" -> engine = args[++i];
        case "--format" -> format = OutputFormat.fromApiName(args[++i]).orElseThrow();
        case "--quality" -> quality = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> files.add(Path.of(args[i]));
      }
    }
    Codec codec = Engines.create(engine);
    Files.createDirectories(out);
    for (Path file : files) {
      byte[] source = Files.readAllBytes(file);
      ImageFormat sniffed = FormatSniffer.sniff(source).orElseThrow();
      String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
      Path reference = out.resolve(name + ".ref.png");
      if (!Files.exists(reference)) {
        writeReference(source, reference);
      }
      long t0 = System.nanoTime();
      EncodedImage fixed = encode(codec, source, sniffed, new Output(format, quality, 0, 0));
      long t1 = System.nanoTime();
      EncodedImage auto =
          encode(codec, source, sniffed, new Output(format, Output.AUTO_QUALITY, 0, 0));
      long t2 = System.nanoTime();
      Files.write(out.resolve(name + ".fixed." + format.extension()), fixed.bytes());
      Files.write(out.resolve(name + ".auto." + format.extension()), auto.bytes());
      System.out.printf(
          Locale.ROOT,
          "IMAGE name=%s megapixels=%.2f fixed_bytes=%d auto_bytes=%d auto_quality=%d ms_fixed=%d ms_auto=%d%n",
          name,
          fixed.width() * (double) fixed.height() / 1e6,
          fixed.bytes().length,
          auto.bytes().length,
          auto.quality(),
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000);
    }
  }

  /**
   * {@code sweep FILE...}: each JPEG quality from 20 to 95 in steps of 5 on the native engine, with
   * the output's bytes and its SSIM against the source's pixels ({@code SWEEP name=… q=… bytes=…
   * ssim=…}): the curves the automatic-quality target was chosen from.
   */
  private static void sweep(String[] args) throws IOException {
    Codec codec = Engines.create("native");
    for (int i = 1; i < args.length; i++) {
      Path file = Path.of(args[i]);
      byte[] source = Files.readAllBytes(file);
      ImageFormat sniffed = FormatSniffer.sniff(source).orElseThrow();
      RgbPixels reference = pixels(flattened(source));
      String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
      for (int q = 20; q <= 95; q += 5) {
        EncodedImage out = encode(codec, source, sniffed, Output.jpeg(q));
        BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(out.bytes()));
        System.out.printf(
            Locale.ROOT,
            "SWEEP name=%s q=%d bytes=%d ssim=%.5f ssim_half=%.5f%n",
            name,
            q,
            out.bytes().length,
            Ssim.of(reference, pixels(decoded)),
            Ssim.of(half(reference), half(pixels(decoded))));
      }
    }
  }

  /** 2×2 box average: the image as seen at half the size. */
  private static RgbPixels half(RgbPixels p) {
    int w = p.width() / 2;
    int h = p.height() / 2;
    byte[] out = new byte[w * h * 3];
    byte[] in = p.rgb();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int a = ((2 * y) * p.width() + 2 * x) * 3 + c;
          int b = a + p.width() * 3;
          int sum = (in[a] & 0xFF) + (in[a + 3] & 0xFF) + (in[b] & 0xFF) + (in[b + 3] & 0xFF);
          out[(y * w + x) * 3 + c] = (byte) ((sum + 2) / 4);
        }
      }
    }
    return new RgbPixels(w, h, out);
  }

  private static EncodedImage encode(
      Codec codec, byte[] source, ImageFormat format, Output output) {
    return codec.encode(source, format, output, 0, Deadline.none());
  }

  /** The source's pixels as a browser shows the corpus's sRGB images: transparency on white. */
  private static void writeReference(byte[] source, Path reference) throws IOException {
    ImageIO.write(flattened(source), "png", reference.toFile());
  }

  private static BufferedImage flattened(byte[] source) throws IOException {
    BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(source));
    BufferedImage rgb =
        new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
    g.drawImage(decoded, 0, 0, null);
    g.dispose();
    return rgb;
  }

  private static RgbPixels pixels(String png) throws IOException {
    return pixels(ImageIO.read(Path.of(png).toFile()));
  }

  private static RgbPixels pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = (y * w + x) * 3;
        rgb[p] = (byte) (row[x] >> 16);
        rgb[p + 1] = (byte) (row[x] >> 8);
        rgb[p + 2] = (byte) row[x];
      }
    }
    return new RgbPixels(w, h, rgb);
  }
}
