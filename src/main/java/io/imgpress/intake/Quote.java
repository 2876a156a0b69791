package io.imgpress.intake;

/** Quotes a value for an error message, cut short so one huge cell cannot bloat the response. */
final class Quote {

  private static final int MAX_LENGTH = 80;

  private Quote() {}

  static String of(String value) {
    String shown = value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH - 1) + "…";
    return "\"" + shown + "\"";
  }
}
