package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCounterTest {

  /** A GIF89a of {@code frames} 1×1 frames, each after a graphic control extension. */
  static byte[] gif(int frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
    // 1×1 screen, global colour table of 2 entries (flag 0x80, size 0).
    out.writeBytes(new byte[] {1, 0, 1, 0, (byte) 0x80, 0, 0});
    out.writeBytes(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    for (int i = 0; i < frames; i++) {
      out.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, 0, 10, 0, 0, 0}); // 0.1 s delay
      out.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0}); // 1×1 at 0,0
      out.writeBytes(new byte[] {2, 2, 0x44, 0x01, 0}); // LZW: clear, 0, end
    }
    out.write(0x3B);
    return out.toByteArray();
  }

  private static byte[] webp(int frames) {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    chunks.writeBytes(riffChunk("VP8X", new byte[10]));
    chunks.writeBytes(riffChunk("ANIM", new byte[6]));
    for (int i = 0; i < frames; i++) {
      chunks.writeBytes(riffChunk("ANMF", new byte[17])); // odd: padded to even
    }
    byte[] body = chunks.toByteArray();
    ByteBuffer riff = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length);
    riff.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body);
    return riff.array();
  }

  private static byte[] riffChunk(String type, byte[] data) {
    int padded = data.length + (data.length & 1);
    ByteBuffer chunk = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    chunk.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return chunk.array();
  }

  private static byte[] apng(long frames) {
    byte[] png = HostileImages.flatPng(2, 2);
    byte[] actl = ByteBuffer.allocate(8).putInt((int) frames).putInt(0).array();
    return CodecImages.insertAfterIhdr(png, CodecImages.pngChunk("acTL", actl));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 37, 500})
  void countsTheFramesOfAGif(int frames) {
    assertThat(FrameCounter.count(gif(frames), ImageFormat.GIF, 1000)).isEqualTo(frames);
  }

  @Test
  void stopsCountingPastTheLimit() {
    assertThat(FrameCounter.count(gif(5000), ImageFormat.GIF, 10)).isEqualTo(11);
    assertThat(FrameCounter.count(webp(5000), ImageFormat.WEBP, 10)).isEqualTo(11);
  }

  @Test
  void aGifWrittenByImageIoIsOneFrame() {
    byte[] gif = CodecImages.write(CodecImages.photoLike(40, 30), "gif");
    assertThat(FrameCounter.count(gif, ImageFormat.GIF, 1000)).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 300})
  void countsTheFramesOfAnAnimatedWebp(int frames) {
    assertThat(FrameCounter.count(webp(frames), ImageFormat.WEBP, 1000)).isEqualTo(frames);
  }

  @Test
  void aStillWebpIsOneFrame() {
    assertThat(FrameCounter.count(CodecImages.resource("lossy.webp"), ImageFormat.WEBP, 1000))
        .isEqualTo(1);
  }

  @Test
  void takesTheFrameCountAnAnimatedPngDeclares() {
    assertThat(FrameCounter.count(apng(7), ImageFormat.PNG, 1000)).isEqualTo(7);
    assertThat(FrameCounter.count(apng(0xFFFF_FFFFL), ImageFormat.PNG, 1000))
        .isEqualTo(0xFFFF_FFFFL);
    assertThat(FrameCounter.count(HostileImages.flatPng(2, 2), ImageFormat.PNG, 1000)).isOne();
  }

  private static byte[] tiff(int pages, ByteOrder order) {
    TiffImages.Page[] all = new TiffImages.Page[pages];
    Arrays.fill(all, TiffImages.Page.rgb(1, 1, TiffImages.flat(1, 2, 3)));
    return TiffImages.tiff(order, all);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7})
  void countsThePagesOfATiff(int pages) {
    assertThat(FrameCounter.count(tiff(pages, ByteOrder.LITTLE_ENDIAN), ImageFormat.TIFF, 100))
        .isEqualTo(pages);
    assertThat(FrameCounter.count(tiff(pages, ByteOrder.BIG_ENDIAN), ImageFormat.TIFF, 100))
        .isEqualTo(pages);
    assertThat(FrameCounter.count(tiff(20, ByteOrder.BIG_ENDIAN), ImageFormat.TIFF, 5))
        .isEqualTo(6);
  }

  @Test
  void aTiffWhosePagesLoopCountsEachOnce() {
    byte[] two = tiff(2, ByteOrder.LITTLE_ENDIAN);
    // Point the second page's "next" back at the first page.
    ByteBuffer b = ByteBuffer.wrap(two).order(ByteOrder.LITTLE_ENDIAN);
    int first = b.getInt(4);
    int second = b.getInt(first + 2 + 12 * b.getShort(first));
    b.putInt(second + 2 + 12 * b.getShort(second), first);
    assertThat(FrameCounter.count(two, ImageFormat.TIFF, 1000)).isEqualTo(2);
  }

  @Test
  void heifAvifJpegXlAndJpeg2000AreOneFrame() {
    // Both engines decode the primary image or first frame without walking the others.
    for (String name : new String[] {"two-images.heic", "two-images.avif", "halves.jxl"}) {
      byte[] source = CodecContract.fixture(name);
      assertThat(FrameCounter.count(source, FormatSniffer.sniff(source).orElseThrow(), 1)).isOne();
    }
    assertThat(FrameCounter.count(CodecContract.fixture("halves.jp2"), ImageFormat.JP2, 1)).isOne();
  }

  @Test
  void jpegAndBmpAreOneFrame() {
    assertThat(FrameCounter.count(new byte[] {(byte) 0xFF, (byte) 0xD8}, ImageFormat.JPEG, 1))
        .isOne();
    assertThat(FrameCounter.count(new byte[] {'B', 'M'}, ImageFormat.BMP, 1)).isOne();
  }

  @Test
  void aStructureCutShortCountsWhatCameBefore() {
    byte[] gif = gif(20);
    for (int cut = 0; cut < gif.length; cut++) {
      assertThat(FrameCounter.count(Arrays.copyOf(gif, cut), ImageFormat.GIF, 1000))
          .isBetween(1L, 20L);
    }
    byte[] webp = webp(20);
    for (int cut = 0; cut < webp.length; cut++) {
      assertThat(FrameCounter.count(Arrays.copyOf(webp, cut), ImageFormat.WEBP, 1000))
          .isBetween(1L, 20L);
    }
    byte[] png = apng(9);
    for (int cut = 0; cut < png.length; cut++) {
      assertThat(FrameCounter.count(Arrays.copyOf(png, cut), ImageFormat.PNG, 1000))
          .isBetween(1L, 9L);
    }
    byte[] tiff = tiff(9, ByteOrder.BIG_ENDIAN);
    for (int cut = 0; cut < tiff.length; cut++) {
      assertThat(FrameCounter.count(Arrays.copyOf(tiff, cut), ImageFormat.TIFF, 1000))
          .isBetween(1L, 9L);
    }
  }
}
