package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builds test images and hand-made container segments (EXIF, iCCP, APP2) byte by byte. */
public final class CodecImages {

  private CodecImages() {}

  public static BufferedImage filled(int w, int h, int type, Color color) {
    BufferedImage image = new BufferedImage(w, h, type);
    Graphics2D g = image.createGraphics();
    g.setComposite(AlphaComposite.Src);
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  public static void fill(BufferedImage image, int x, int y, int w, int h, Color color) {
    Graphics2D g = image.createGraphics();
    g.setComposite(AlphaComposite.Src);
    g.setColor(color);
    g.fillRect(x, y, w, h);
    g.dispose();
  }

  /** A noisy gradient, so that JPEG quality visibly changes the file size. */
  public static BufferedImage photoLike(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = Math.min(255, x * 255 / w + random.nextInt(20));
        int g = Math.min(255, y * 255 / h + random.nextInt(20));
        int b = Math.min(255, (x + y) * 128 / (w + h) + random.nextInt(20));
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  public static byte[] jpeg(BufferedImage image, float quality, boolean progressive) {
    return writeJpeg(image, quality, progressive);
  }

  public static byte[] jpeg(BufferedImage image) {
    return writeJpeg(image, 0.95f, false);
  }

  private static byte[] writeJpeg(Object imageOrRaster, float quality, boolean progressive) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      IIOImage iio =
          imageOrRaster instanceof BufferedImage image
              ? new IIOImage(image, null, null)
              : new IIOImage((Raster) imageOrRaster, null, null);
      writer.write(null, iio, param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * A CMYK JPEG as Photoshop writes it: four raw channels plus an Adobe APP14 marker whose
   * transform says how to read them (0 = CMYK, 2 = YCCK). Adobe stores the channels inverted.
   */
  public static byte[] adobeJpeg(int w, int h, int[] storedSamples, int transform) {
    var raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setPixel(x, y, storedSamples);
      }
    }
    byte[] plain = writeJpeg(raster, 0.95f, false);
    byte[] app14 = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform
    };
    return insertAfterSoi(plain, app14);
  }

  public static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      assertThat(ImageIO.write(image, format, bytes)).as("ImageIO wrote " + format).isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("decodable image").isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] resource(String name) {
    try (InputStream in = CodecImages.class.getResourceAsStream("/images/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }

  /** TIFF with IFD0 holding ImageDescription (a decoy entry) and then Orientation. */
  public static byte[] tiffWithOrientation(int orientation, ByteOrder order) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(order);
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x010E)
        .putShort((short) 2)
        .putInt(4)
        .put("abc\0".getBytes(StandardCharsets.US_ASCII));
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    return tiff.array();
  }

  public static byte[] exifApp1(int orientation, ByteOrder order) {
    byte[] tiff = tiffWithOrientation(orientation, order);
    ByteBuffer segment = ByteBuffer.allocate(4 + 6 + tiff.length);
    segment.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length));
    segment.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put(tiff);
    return segment.array();
  }

  /** JPEG APP2 segment carrying a whole ICC profile (fits one segment for small profiles). */
  public static byte[] iccApp2(ICC_Profile profile) {
    return iccApp2(profile.getData());
  }

  public static byte[] iccApp2(byte[] data) {
    byte[] header = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer segment = ByteBuffer.allocate(4 + header.length + 2 + data.length);
    segment.put((byte) 0xFF).put((byte) 0xE2);
    segment.putShort((short) (2 + header.length + 2 + data.length));
    segment.put(header).put((byte) 1).put((byte) 1).put(data);
    return segment.array();
  }

  public static byte[] pngChunk(String type, byte[] data) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    chunk.putInt(data.length).put(typeBytes).put(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    chunk.putInt((int) crc.getValue());
    return chunk.array();
  }

  /** Puts a chunk right after IHDR, which is always the first chunk and 13 bytes long. */
  public static byte[] insertAfterIhdr(byte[] png, byte[] chunk) {
    int at = 8 + 8 + 13 + 4;
    byte[] out = new byte[png.length + chunk.length];
    System.arraycopy(png, 0, out, 0, at);
    System.arraycopy(chunk, 0, out, at, chunk.length);
    System.arraycopy(png, at, out, at + chunk.length, png.length - at);
    return out;
  }

  public static byte[] iccpChunk(String name, byte[] profile) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
    data.write(0);
    data.write(0); // compression method: deflate
    Deflater deflater = new Deflater();
    deflater.setInput(profile);
    deflater.finish();
    byte[] buffer = new byte[8192];
    while (!deflater.finished()) {
      data.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return pngChunk("iCCP", data.toByteArray());
  }

  public static void assertRgb(
      BufferedImage image, int x, int y, int r, int g, int b, int tolerance) {
    int rgb = image.getRGB(x, y);
    String at = "pixel (" + x + "," + y + ") = " + String.format("#%06x", rgb & 0xFFFFFF);
    assertThat(rgb >> 16 & 0xFF).as(at + " red").isCloseTo(r, within(tolerance));
    assertThat(rgb >> 8 & 0xFF).as(at + " green").isCloseTo(g, within(tolerance));
    assertThat(rgb & 0xFF).as(at + " blue").isCloseTo(b, within(tolerance));
  }

  /** Marker codes in order, up to the start of scan. */
  public static List<Integer> markers(byte[] jpeg) {
    List<Integer> markers = new ArrayList<>();
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      markers.add(marker);
      if (marker == 0xDA) {
        break;
      }
      at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
    }
    return markers;
  }

  /** Sampling factors per component from the frame header, e.g. ["2x2", "1x1", "1x1"]. */
  public static List<String> sampling(byte[] jpeg) {
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        int components = jpeg[at + 9] & 0xFF;
        List<String> factors = new ArrayList<>();
        for (int i = 0; i < components; i++) {
          int hv = jpeg[at + 11 + 3 * i] & 0xFF;
          factors.add((hv >> 4) + "x" + (hv & 0xF));
        }
        return factors;
      }
      at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
    }
    throw new AssertionError("no frame header");
  }
}
