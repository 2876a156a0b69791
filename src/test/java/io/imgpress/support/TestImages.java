package io.imgpress.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small images made on the fly, so tests depend on no fixture outside the repository. */
public final class TestImages {

  private TestImages() {}

  /** A photo-like JPEG: a gradient with a few shapes, so it compresses like real content. */
  public static byte[] jpeg(int width, int height, int seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int y = 0; y < height; y++) {
      g.setColor(new Color((y * 255 / height + seed * 40) % 256, (seed * 70) % 256, 128));
      g.drawLine(0, y, width, y);
    }
    g.setColor(Color.WHITE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return encode(image, "jpg");
  }

  public static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(255, 0, 0, 128));
    g.fillRect(0, 0, width, height / 2);
    g.dispose();
    return encode(image, "png");
  }

  /** A tiny PNG whose header claims {@code width x height}: a decompression bomb's calling card. */
  public static byte[] pngDeclaring(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer header = ByteBuffer.allocate(8).putInt(data.length);
    header.put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeBytes(header.array());
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  public static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
      if (image == null) {
        throw new IllegalArgumentException("not a decodable image");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
