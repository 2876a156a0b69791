package io.imgpress.intake;

import java.io.IOException;

/** A defect after which the rest of the input cannot be read as records. */
final class MalformedCsvException extends IOException {

  private final int line;

  MalformedCsvException(int line, String message) {
    super(message);
    this.line = line;
  }

  int line() {
    return line;
  }
}
