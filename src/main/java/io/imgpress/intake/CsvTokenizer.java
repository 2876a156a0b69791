package io.imgpress.intake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams RFC 4180 records: quoted fields with {@code ""} escapes and line breaks, CRLF, LF or CR
 * line ends. Stray quotes inside unquoted fields are kept as text, as most spreadsheet tools do.
 */
final class CsvTokenizer {

  private static final int NONE = -2;

  private final Utf8Chars chars;
  private final StringBuilder field = new StringBuilder();
  private int line = 1;
  private int pushedBack = NONE;
  private int rawPushedBack = NONE;

  CsvTokenizer(Utf8Chars chars) {
    this.chars = chars;
  }

  /** The line being read; after a failure, where the failure happened. */
  int line() {
    return line;
  }

  /** The next record, or {@code null} at the end of input. */
  CsvRecord next() throws IOException {
    int start = line;
    int c = read();
    if (c == Utf8Chars.EOF) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    String problem = null;
    while (true) {
      field.setLength(0);
      if (c == '"') {
        readQuoted();
        c = read();
        if (!endsField(c)) {
          problem = "unexpected text after closing quote";
        }
      }
      while (!endsField(c)) {
        field.append((char) c);
        c = read();
      }
      fields.add(field.toString());
      if (c != ',') {
        return new CsvRecord(start, fields, problem);
      }
      c = read();
    }
  }

  private void readQuoted() throws IOException {
    int opened = line;
    while (true) {
      int c = read();
      if (c == Utf8Chars.EOF) {
        throw new MalformedCsvException(opened, "quote opened here is never closed");
      }
      if (c == '"') {
        int after = read();
        if (after != '"') {
          pushedBack = after;
          return;
        }
      }
      field.append((char) c);
    }
  }

  private static boolean endsField(int c) {
    return c == ',' || c == '\n' || c == Utf8Chars.EOF;
  }

  /** Next char with every line end folded into {@code '\n'}; refuses control characters. */
  private int read() throws IOException {
    if (pushedBack != NONE) {
      int c = pushedBack;
      pushedBack = NONE;
      return c;
    }
    int c = readRaw();
    if (c == '\r') {
      int after = readRaw();
      if (after != '\n') {
        rawPushedBack = after;
      }
      c = '\n';
    }
    if (c == '\n') {
      line++;
    } else if (c != '\t' && c != Utf8Chars.EOF && Character.isISOControl(c)) {
      throw new MalformedCsvException(line, "binary data, not a CSV");
    }
    return c;
  }

  private int readRaw() throws IOException {
    if (rawPushedBack != NONE) {
      int c = rawPushedBack;
      rawPushedBack = NONE;
      return c;
    }
    return chars.next();
  }
}
