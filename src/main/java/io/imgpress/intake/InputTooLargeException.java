package io.imgpress.intake;

import java.io.IOException;

/** Raised from inside the read path, so it travels as an I/O failure until the parser sees it. */
final class InputTooLargeException extends IOException {

  InputTooLargeException(long maxBytes) {
    super("input exceeds " + maxBytes + " bytes");
  }
}
