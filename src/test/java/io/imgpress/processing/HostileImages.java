package io.imgpress.processing;

import java.io.ByteArrayOutputStream;

/**
 * Image files crafted to cost far more to decode than their size or pixel count suggests, built
 * byte by byte so that no encoder's sanity checks stand in the way.
 */
public final class HostileImages {

  private HostileImages() {}

  /**
   * A grey progressive JPEG of {@code side}×{@code side} pixels (side a multiple of 8) with {@code
   * scans} AC scans after its DC scan, each of which codes nothing new: every block of every scan
   * is one end-of-band run, about 40 bytes a scan, yet a decoder walks all blocks of the image once
   * per scan. Valid as far as any decoder can tell: it decodes to flat grey.
   */
  public static byte[] manyScanJpeg(int side, int scans) {
    if (side % 8 != 0 || side > 65_535) {
      throw new IllegalArgumentException("side must be a multiple of 8 up to 65535");
    }
    int blocks = (side / 8) * (side / 8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    marker(out, 0xD8);
    // One quantisation table, all ones.
    byte[] dqt = new byte[65];
    java.util.Arrays.fill(dqt, 1, 65, (byte) 1);
    segment(out, 0xDB, dqt);
    // SOF2: progressive, 8 bits, side×side, one component (id 1, 1×1, table 0).
    segment(out, 0xC2, new byte[] {8, hi(side), lo(side), hi(side), lo(side), 1, 1, 0x11, 0});
    // Huffman tables of one symbol each, coded as the single bit 0: DC difference category 0, and
    // AC end-of-band run of 2^14 blocks plus 14 extra bits (EOB14).
    segment(out, 0xC4, huffmanTable(0x00, 0x00));
    segment(out, 0xC4, huffmanTable(0x10, 0xE0));
    // DC scan: one bit (category 0, no difference) per block.
    segment(out, 0xDA, new byte[] {1, 1, 0x00, 0, 0, 0});
    out.writeBytes(new byte[(blocks + 7) / 8]);
    // Each AC scan: EOB14 runs (1 + 14 zero bits = 2^14 blocks each) over all blocks.
    int runs = blocks / (1 << 14);
    int rest = blocks % (1 << 14);
    if (rest != 0) {
      throw new IllegalArgumentException("side must make a multiple of 16384 blocks, e.g. 1024");
    }
    byte[] acData = new byte[(runs * 15 + 7) / 8];
    for (int s = 0; s < scans; s++) {
      segment(out, 0xDA, new byte[] {1, 1, 0x00, 1, 63, 0});
      out.writeBytes(acData);
    }
    marker(out, 0xD9);
    return out.toByteArray();
  }

  /**
   * A grey PNG of {@code width}×{@code height} pixels, all black: a few kilobytes per megapixel, so
   * a file far under any byte limit that still costs its full pixel count to decode and encode.
   */
  public static byte[] flatPng(int width, int height) {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (var deflate =
        new java.util.zip.DeflaterOutputStream(
            idat, new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED))) {
      byte[] row = new byte[1 + width]; // filter type 0, then the grey samples
      for (int y = 0; y < height; y++) {
        deflate.write(row);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    out.writeBytes(CodecImages.pngChunk("IHDR", ihdr.array()));
    out.writeBytes(CodecImages.pngChunk("IDAT", idat.toByteArray()));
    out.writeBytes(CodecImages.pngChunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] huffmanTable(int classAndId, int symbol) {
    byte[] table = new byte[1 + 16 + 1];
    table[0] = (byte) classAndId;
    table[1] = 1; // one code of length 1
    table[17] = (byte) symbol;
    return table;
  }

  private static void marker(ByteArrayOutputStream out, int marker) {
    out.write(0xFF);
    out.write(marker);
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
    marker(out, marker);
    int length = body.length + 2;
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(body);
  }

  private static byte hi(int v) {
    return (byte) (v >> 8);
  }

  private static byte lo(int v) {
    return (byte) v;
  }
}
