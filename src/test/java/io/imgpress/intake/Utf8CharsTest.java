package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8CharsTest {

  @Test
  void anEmptyInputEndsAtOnce() throws IOException {
    Utf8Chars chars = new Utf8Chars(new ByteArrayInputStream(new byte[0]));

    assertThat(chars.next()).isEqualTo(Utf8Chars.EOF);
    assertThat(chars.next()).isEqualTo(Utf8Chars.EOF);
  }

  @Test
  void dropsOnlyALeadingByteOrderMark() throws IOException {
    assertThat(decode(utf8("\uFEFFa\uFEFFb"))).isEqualTo("a\uFEFFb");
  }

  @Test
  void keepsAByteOrderMarkThatStartsALaterChunk() throws IOException {
    // One byte per read: every chunk decoded holds a single char, so the second mark starts one.
    assertThat(decode(new Trickle(utf8("a\uFEFFé€")))).isEqualTo("a\uFEFFé€");
  }

  @Test
  void decodesMultiByteCharsSplitAcrossReads() throws IOException {
    String text = "Café ünd 東京 🙂";

    assertThat(decode(new Trickle(utf8(text)))).isEqualTo(text);
  }

  @Test
  void handsOutEveryCharBeforeTheBadByteThenFails() throws IOException {
    Utf8Chars chars = new Utf8Chars(new ByteArrayInputStream(new byte[] {'o', 'k', (byte) 0xFF}));

    assertThat(chars.next()).isEqualTo('o');
    assertThat(chars.next()).isEqualTo('k');
    assertThatThrownBy(chars::next).isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(chars::next).isInstanceOf(MalformedInputException.class);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String decode(byte[] bytes) throws IOException {
    return decode(new ByteArrayInputStream(bytes));
  }

  private static String decode(InputStream in) throws IOException {
    Utf8Chars chars = new Utf8Chars(in);
    StringBuilder out = new StringBuilder();
    for (int c = chars.next(); c != Utf8Chars.EOF; c = chars.next()) {
      out.append((char) c);
    }
    return out.toString();
  }

  /** Hands out one byte per read, as a slow network might. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private int next;

    Trickle(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return next < bytes.length ? bytes[next++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (next == bytes.length) {
        return -1;
      }
      b[off] = bytes[next++];
      return 1;
    }
  }
}
