package io.imgpress.intake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding, one char at a time. Unlike an InputStreamReader it hands out every char
 * decoded before a bad byte sequence and only then fails, so the caller knows the exact line of the
 * bad bytes. A leading byte order mark is dropped.
 */
final class Utf8Chars {

  static final int EOF = -1;
  private static final char BOM = '\uFEFF';

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
  private final CharBuffer chars = CharBuffer.allocate(8192).flip();
  private boolean started;
  private boolean inputEnded;
  private boolean decodingEnded;
  private boolean malformed;

  Utf8Chars(InputStream in) {
    this.in = in;
  }

  int next() throws IOException {
    if (chars.hasRemaining() || refill()) {
      return chars.get();
    }
    return EOF;
  }

  private boolean refill() throws IOException {
    if (malformed) {
      throw new MalformedInputException(1);
    }
    chars.clear();
    while (chars.position() == 0 && !decodingEnded && !malformed) {
      readBytes();
      CoderResult result = decoder.decode(bytes, chars, inputEnded);
      if (result.isError()) {
        malformed = true;
      } else if (inputEnded && result.isUnderflow()) {
        decoder.flush(chars);
        decodingEnded = true;
      }
    }
    chars.flip();
    if (!started && chars.hasRemaining()) {
      started = true;
      if (chars.get(0) == BOM) {
        chars.get();
      }
    }
    if (!chars.hasRemaining() && malformed) {
      throw new MalformedInputException(1);
    }
    return chars.hasRemaining() || (!decodingEnded && refill());
  }

  private void readBytes() throws IOException {
    bytes.compact();
    if (!inputEnded) {
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        inputEnded = true;
      } else {
        bytes.position(bytes.position() + n);
      }
    }
    bytes.flip();
  }
}
