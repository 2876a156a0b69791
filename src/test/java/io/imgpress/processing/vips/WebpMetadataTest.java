package io.imgpress.processing.vips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.processing.CodecImages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebpMetadataTest {

  private static byte[] chunk(String fourcc, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length + (data.length & 1));
    b.order(ByteOrder.LITTLE_ENDIAN).put(fourcc.getBytes(StandardCharsets.US_ASCII));
    return b.putInt(data.length).put(data).array();
  }

  private static byte[] riff(byte[]... chunks) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      body.writeBytes(c);
    }
    ByteBuffer b = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.size());
    return b.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray()).array();
  }

  private static byte[] vp8x(int flags) {
    return chunk("VP8X", new byte[] {(byte) flags, 0, 0, 0, 9, 0, 0, 9, 0, 0});
  }

  private static final byte[] IMAGE = chunk("VP8 ", new byte[] {1, 2, 3, 4, 5});

  @Test
  void dropsExifXmpAndIccAndTheHeaderLeftWithNothingToSay() {
    byte[] withExif =
        riff(
            vp8x(0x08 | 0x04 | 0x20),
            chunk("ICCP", new byte[7]),
            IMAGE,
            chunk("EXIF", new byte[20]),
            chunk("XMP ", new byte[3]));

    assertThat(WebpMetadata.strip(withExif)).isEqualTo(riff(IMAGE));
  }

  @Test
  void keepsTheHeaderOfAnImageWithAlpha() {
    byte[] alpha = chunk("ALPH", new byte[] {9, 9});
    assertThat(
            WebpMetadata.strip(riff(vp8x(0x10 | 0x08), alpha, IMAGE, chunk("EXIF", new byte[4]))))
        .isEqualTo(riff(vp8x(0x10), alpha, IMAGE));
  }

  @Test
  void leavesAFileWithoutMetadataAsItIs() {
    byte[] simple = riff(IMAGE);
    assertThat(WebpMetadata.strip(simple)).isEqualTo(simple);
    byte[] lossy = CodecImages.resource("lossy.webp");
    assertThat(new String(WebpMetadata.strip(lossy), StandardCharsets.ISO_8859_1))
        .doesNotContain("EXIF");
  }

  @Test
  void refusesWhatIsNoWebp() {
    assertThatThrownBy(() -> WebpMetadata.strip(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] cut = riff(IMAGE);
    assertThatThrownBy(() -> WebpMetadata.strip(java.util.Arrays.copyOf(cut, cut.length - 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
