package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatSnifferTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] bmpHeader(int dibSize) {
    byte[] b = new byte[54];
    b[0] = 'B';
    b[1] = 'M';
    b[14] = (byte) dibSize;
    return b;
  }

  @Test
  void recognisesEachAcceptedFormat() {
    assertThat(FormatSniffer.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).contains(ImageFormat.JPEG);
    assertThat(FormatSniffer.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0)))
        .contains(ImageFormat.PNG);
    assertThat(FormatSniffer.sniff(ascii("GIF87a..."))).contains(ImageFormat.GIF);
    assertThat(FormatSniffer.sniff(ascii("GIF89a..."))).contains(ImageFormat.GIF);
    assertThat(FormatSniffer.sniff(ascii("RIFF\0\0\0\0WEBPVP8 "))).contains(ImageFormat.WEBP);
    assertThat(FormatSniffer.sniff(bmpHeader(40))).contains(ImageFormat.BMP);
    assertThat(FormatSniffer.sniff(bmpHeader(124))).contains(ImageFormat.BMP);
  }

  /** An ISO media {@code ftyp} box: major brand, minor version 0, compatible brands. */
  private static byte[] ftyp(String major, String... compatible) {
    String box = "ftyp" + major + "\0\0\0\0" + String.join("", compatible);
    byte[] b = new byte[4 + box.length() + 8];
    b[3] = (byte) (4 + box.length());
    System.arraycopy(ascii(box), 0, b, 4, box.length());
    System.arraycopy(ascii("\0\0\0\u0008meta"), 0, b, 4 + box.length(), 8);
    return b;
  }

  @Test
  void recognisesTiffJpegXlAndJpeg2000() {
    assertThat(FormatSniffer.sniff(ascii("II*\0\u0008\0\0\0"))).contains(ImageFormat.TIFF);
    assertThat(FormatSniffer.sniff(ascii("MM\0*\0\0\0\u0008"))).contains(ImageFormat.TIFF);
    assertThat(FormatSniffer.sniff(bytes(0xFF, 0x0A, 0xCB, 0x06))).contains(ImageFormat.JXL);
    assertThat(
            FormatSniffer.sniff(
                bytes(0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A, 0, 0, 0, 0x14)))
        .contains(ImageFormat.JXL);
    assertThat(
            FormatSniffer.sniff(
                bytes(0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A, 0, 0, 0, 0x14)))
        .contains(ImageFormat.JP2);
    assertThat(FormatSniffer.sniff(bytes(0xFF, 0x4F, 0xFF, 0x51, 0, 0x2F)))
        .contains(ImageFormat.JP2);
  }

  @Test
  void tellsHeifFromAvifByTheirBrands() {
    for (String brand : new String[] {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1"}) {
      assertThat(FormatSniffer.sniff(ftyp(brand))).as(brand).contains(ImageFormat.HEIF);
    }
    assertThat(FormatSniffer.sniff(ftyp("msf1", "iso8"))).contains(ImageFormat.HEIF);
    assertThat(FormatSniffer.sniff(ftyp("avif", "mif1", "miaf"))).contains(ImageFormat.AVIF);
    assertThat(FormatSniffer.sniff(ftyp("avis", "msf1"))).contains(ImageFormat.AVIF);
    // The generic brand first and AVIF among the compatible ones: still AV1-coded.
    assertThat(FormatSniffer.sniff(ftyp("mif1", "miaf", "avif"))).contains(ImageFormat.AVIF);
    assertThat(FormatSniffer.sniff(ftyp("mif1", "heic"))).contains(ImageFormat.HEIF);
    // Video and other ISO media are no image; brands after the ftyp box do not count.
    assertThat(FormatSniffer.sniff(ftyp("isom", "iso2", "mp41"))).isEmpty();
    assertThat(FormatSniffer.sniff(ftyp("qt  "))).isEmpty();
    byte[] avifAfterTheBox = ftyp("isom");
    System.arraycopy(ascii("avif"), 0, avifAfterTheBox, avifAfterTheBox.length - 4, 4);
    assertThat(FormatSniffer.sniff(avifAfterTheBox)).isEmpty();
    // A box size that cannot hold a brand list (0 = to the end, 1 = 64-bit size).
    byte[] sizeZero = ftyp("heic");
    sizeZero[3] = 0;
    assertThat(FormatSniffer.sniff(sizeZero)).isEmpty();
  }

  @Test
  void recognisesTheFixturesOfEveryInputFormat() {
    assertThat(FormatSniffer.sniff(CodecContract.fixture("halves.heic")))
        .contains(ImageFormat.HEIF);
    assertThat(FormatSniffer.sniff(CodecContract.fixture("two-images.heic")))
        .contains(ImageFormat.HEIF);
    assertThat(FormatSniffer.sniff(CodecContract.fixture("halves.avif")))
        .contains(ImageFormat.AVIF);
    assertThat(FormatSniffer.sniff(CodecContract.fixture("halves.jxl"))).contains(ImageFormat.JXL);
    assertThat(FormatSniffer.sniff(CodecContract.fixture("p3.jxl"))).contains(ImageFormat.JXL);
    assertThat(FormatSniffer.sniff(CodecContract.fixture("halves.jp2"))).contains(ImageFormat.JP2);
    assertThat(FormatSniffer.sniff(CodecContract.fixture("halves.j2k"))).contains(ImageFormat.JP2);
  }

  @Test
  void recognisesFormatsFromTheirShortestSignature() {
    assertThat(FormatSniffer.sniff(bytes(0xFF, 0xD8, 0xFF))).contains(ImageFormat.JPEG);
    assertThat(FormatSniffer.sniff(ascii("GIF89a"))).contains(ImageFormat.GIF);
    assertThat(FormatSniffer.sniff(Arrays.copyOf(bmpHeader(40), 18))).contains(ImageFormat.BMP);
    assertThat(FormatSniffer.sniff(Arrays.copyOf(bmpHeader(40), 17))).isEmpty();
  }

  @Test
  void readsTheBmpHeaderSizeAsAFourByteNumber() {
    // "BM" and 40 in the low byte, but more in the others: text, or another kind of file.
    for (int index : new int[] {15, 16, 17}) {
      byte[] header = bmpHeader(40);
      header[index] = 1;
      assertThat(FormatSniffer.sniff(header)).as("byte %d set", index).isEmpty();
    }
  }

  @Test
  void rejectsNearMisses() {
    assertThat(FormatSniffer.sniff(bytes(0xFF, 0xD8))).isEmpty();
    assertThat(FormatSniffer.sniff(bytes(0x89, 'P', 'N', 'G'))).isEmpty();
    assertThat(FormatSniffer.sniff(ascii("GIF88a"))).isEmpty();
    assertThat(FormatSniffer.sniff(ascii("RIFF\0\0\0\0WAVEfmt "))).isEmpty();
    assertThat(FormatSniffer.sniff(ascii("BMW is a car maker, not a bitmap header"))).isEmpty();
    assertThat(FormatSniffer.sniff(bmpHeader(41))).isEmpty();
    assertThat(FormatSniffer.sniff(ascii("II*"))).isEmpty();
    assertThat(FormatSniffer.sniff(ascii("MM*\0"))).isEmpty();
    assertThat(FormatSniffer.sniff(bytes(0xFF, 0x4F, 0xFF))).isEmpty();
    assertThat(FormatSniffer.sniff(bytes(0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87)))
        .isEmpty();
    assertThat(FormatSniffer.sniff(new byte[0])).isEmpty();
    assertThat(FormatSniffer.sniff(null)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "<!DOCTYPE html><html><body>Not found</body></html>|not an image (looks like HTML)",
        "  <html lang=en>|not an image (looks like HTML)",
        "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>|refused: SVG can carry"
            + " scripts and external references, so it is never rendered",
        "<svg viewBox='0 0 1 1'/>|refused: SVG can carry scripts and external references, so it"
            + " is never rendered",
        "<?xml version='1.0'?><feed/>|not an image (looks like XML)",
        "{\"error\":\"forbidden\"}|not an image (looks like JSON)",
        "Access denied|not an image (looks like text)",
        "%PDF-1.7|refused: PDF can carry scripts and external references, so it is never rendered",
        "%!PS-Adobe-3.0 EPSF-3.0|refused: PostScript is a program, so it is never rendered",
        "Zugriff verweigert – bitte später erneut versuchen|not an image (looks like text)",
        "﻿<!doctype html><title>404</title>|not an image (looks like HTML)",
      })
  void describesNonImages(String body, String expected) {
    assertThat(FormatSniffer.describe(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }

  @Test
  void describesBinaryAndEmptyBodies() {
    assertThat(FormatSniffer.describe(new byte[0])).isEqualTo("empty body");
    assertThat(FormatSniffer.describe(null)).isEqualTo("empty body");
    assertThat(FormatSniffer.describe(bytes(0x00, 0x01, 0x02, 0xFE, 0x7F)))
        .isEqualTo("not an image (unknown format)");
    assertThat(FormatSniffer.describe(ftyp("heic", "mif1"))).isEqualTo("HEIF image");
    assertThat(FormatSniffer.describe(ascii("II*\0\u0008\0\0\0"))).isEqualTo("TIFF image");
    assertThat(FormatSniffer.describe(ftyp("isom", "mp41")))
        .isEqualTo("not an image (unknown format)");
    assertThat(FormatSniffer.describe(bytes(0xFF, 0xD8, 0xFF, 0xE0))).isEqualTo("JPEG image");
  }
}
