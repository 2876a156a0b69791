package io.imgpress.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The benchmark's default input: four 12–20 MP landscape-like JPEGs (sky, clouds, terrain, sensor
 * grain), the same bytes on every run, so that no file from outside the repository is needed. The
 * content is noisy enough to compress like a photo rather than like a flat test card.
 */
final class SampleImages {

  private record Spec(String name, int width, int height) {}

  private static final List<Spec> SPECS =
      List.of(
          new Spec("gen-1-12mp.jpg", 4000, 3000),
          new Spec("gen-2-12mp-portrait.jpg", 3000, 4000),
          new Spec("gen-3-16mp.jpg", 4608, 3456),
          new Spec("gen-4-20mp.jpg", 5472, 3648));

  private SampleImages() {}

  /** Writes the images missing from {@code dir}; existing ones are kept. */
  static void writeAll(Path dir) throws IOException {
    Files.createDirectories(dir);
    long seed = 1;
    for (Spec spec : SPECS) {
      Path target = dir.resolve(spec.name);
      if (!Files.exists(target)) {
        Path part = dir.resolve(spec.name + ".part");
        writeJpeg(render(spec.width, spec.height, seed), part);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("wrote " + target);
      }
      seed++;
    }
  }

  static BufferedImage render(int w, int h, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Noise shapes = new Noise(w, h, Math.max(w, h) / 5, random);
    Noise forms = new Noise(w, h, 120, random);
    Noise detail = new Noise(w, h, 24, random);
    Noise texture = new Noise(w, h, 5, random);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    long grain = seed * 0x9E3779B97F4A7C15L;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double coarse = 0.6 * shapes.at(x, y) + 0.4 * forms.at(x, y);
        double fine = 0.6 * detail.at(x, y) + 0.4 * texture.at(x, y);
        double horizon = h * (0.35 + 0.2 * shapes.at(x, 0));
        double r;
        double g;
        double b;
        if (y < horizon) { // sky darkening upwards, with clouds
          double t = y / horizon;
          double cloud = Math.max(0, coarse * 0.8 + fine * 0.2 - 0.45) * 2.5;
          r = lerp(40 + 120 * t, 235, cloud);
          g = lerp(90 + 110 * t, 238, cloud);
          b = lerp(170 + 60 * t, 240, cloud);
        } else { // terrain: grass and soil, darker and more textured in the foreground
          double depth = (y - horizon) / (h - horizon);
          double soil = Math.clamp(coarse * 1.6 - 0.3, 0, 1);
          double light = (0.55 + 0.45 * fine) * (1.1 - 0.4 * depth);
          r = lerp(70, 130, soil) * light;
          g = lerp(120, 100, soil) * light;
          b = lerp(40, 70, soil) * light;
        }
        grain ^= grain << 13;
        grain ^= grain >>> 7;
        grain ^= grain << 17;
        int n = (int) (grain & 7) - 4;
        px[y * w + x] = channel(r + n) << 16 | channel(g + n) << 8 | channel(b + n);
      }
    }
    return image;
  }

  private static double lerp(double a, double b, double t) {
    return a + (b - a) * Math.clamp(t, 0, 1);
  }

  private static int channel(double v) {
    return (int) Math.clamp(v, 0, 255);
  }

  private static void writeJpeg(BufferedImage image, Path file) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /** Smoothly interpolated random values on a square lattice of the given cell size, in 0–1. */
  private static final class Noise {
    private final int cell;
    private final int columns;
    private final float[] lattice;

    Noise(int w, int h, int cell, SplittableRandom random) {
      this.cell = cell;
      this.columns = w / cell + 2;
      this.lattice = new float[columns * (h / cell + 2)];
      for (int i = 0; i < lattice.length; i++) {
        lattice[i] = (float) random.nextDouble();
      }
    }

    double at(int x, int y) {
      int cx = x / cell;
      int cy = y / cell;
      double fx = smooth((x - cx * cell) / (double) cell);
      double fy = smooth((y - cy * cell) / (double) cell);
      int i = cy * columns + cx;
      double top = lerp(lattice[i], lattice[i + 1], fx);
      double bottom = lerp(lattice[i + columns], lattice[i + columns + 1], fx);
      return lerp(top, bottom, fy);
    }

    private static double smooth(double t) {
      return t * t * (3 - 2 * t);
    }
  }
}
