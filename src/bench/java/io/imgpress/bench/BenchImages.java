package io.imgpress.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Many distinct small images for {@code bench/pipeline.sh}, so that every URL of a batch is a
 * different file and nothing can be served from a cache:
 *
 * <ul>
 *   <li>{@code photos DIR COUNT}: 800×533 landscape-like JPEGs ({@link SampleImages}' sky, terrain
 *       and grain, a new seed each), about 40–80 KB like a product photo, named {@code
 *       photo-00001.jpg} …;
 *   <li>{@code tiny DIR COUNT}: 8×8 JPEGs of random colours, {@code tiny-00001.jpg} ….
 * </ul>
 *
 * Files already there are kept (the same bytes every run: seeds are fixed), so a folder is a cache
 * between runs. Prints {@code IMAGES kind=… count=… width=… height=… bytes=…}.
 */
public final class BenchImages {

  static final int PHOTO_WIDTH = 800;
  static final int PHOTO_HEIGHT = 533;
  static final int TINY_SIDE = 8;

  private BenchImages() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3 || !(args[0].equals("photos") || args[0].equals("tiny"))) {
      throw new IllegalArgumentException("usage: BenchImages photos|tiny DIR COUNT");
    }
    boolean photos = args[0].equals("photos");
    Path dir = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    Files.createDirectories(dir);
    // Two threads: rendering 600 photos takes a few seconds, and the machine has 2 cores.
    try (var pool = new java.util.concurrent.ForkJoinPool(2)) {
      pool.submit(
              () -> IntStream.rangeClosed(1, count).parallel().forEach(i -> write(dir, photos, i)))
          .join();
    }
    long bytes = 0;
    for (int i = 1; i <= count; i++) {
      bytes += Files.size(dir.resolve(name(photos, i)));
    }
    int width = photos ? PHOTO_WIDTH : TINY_SIDE;
    int height = photos ? PHOTO_HEIGHT : TINY_SIDE;
    System.out.printf(
        Locale.ROOT,
        "IMAGES kind=%s count=%d width=%d height=%d bytes=%d%n",
        args[0],
        count,
        width,
        height,
        bytes);
  }

  private static String name(boolean photos, int i) {
    return String.format(Locale.ROOT, "%s-%05d.jpg", photos ? "photo" : "tiny", i);
  }

  private static void write(Path dir, boolean photos, int i) {
    Path target = dir.resolve(name(photos, i));
    if (Files.exists(target)) {
      return;
    }
    try {
      Path part = dir.resolve(target.getFileName() + ".part");
      if (photos) {
        writeJpeg(SampleImages.render(PHOTO_WIDTH, PHOTO_HEIGHT, 1000L + i), 0.85f, part);
      } else {
        writeJpeg(tiny(i), 0.9f, part);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage tiny(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(TINY_SIDE, TINY_SIDE, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < px.length; p++) {
      px[p] = random.nextInt(0x1000000);
    }
    return image;
  }

  private static void writeJpeg(BufferedImage image, float quality, Path file) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
