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
    assertThat(FormatSniffer.describe(bytes(0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c')))
        .isEqualTo("unsupported image format (looks like HEIC)");
    assertThat(FormatSniffer.describe(ascii("II*\0\u0008\0\0\0")))
        .isEqualTo("unsupported image format (looks like TIFF)");
    assertThat(FormatSniffer.describe(bytes(0xFF, 0xD8, 0xFF, 0xE0))).isEqualTo("JPEG image");
  }
}
