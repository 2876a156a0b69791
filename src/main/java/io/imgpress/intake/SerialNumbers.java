package io.imgpress.intake;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the "S. No." column and keeps serials unique, since results are reported per serial. A
 * trailing dot is accepted because numbered lists in spreadsheets often carry one ("1.").
 */
final class SerialNumbers {

  // ASCII only: Long.parseLong would also take other scripts' digits.
  private static final Pattern SERIAL = Pattern.compile("([0-9]{1,18})\\.?");

  private final Map<Long, Integer> firstLines = new HashMap<>();

  /** The serial, or {@code null} after reporting why the cell holds none. */
  Long read(String cell, int line, ErrorCollector errors) {
    String text = cell.strip();
    if (text.isEmpty()) {
      errors.add(line, Header.SERIAL, "empty serial number");
      return null;
    }
    var matcher = SERIAL.matcher(text);
    long serial = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
    if (serial <= 0) {
      errors.add(
          line,
          Header.SERIAL,
          "serial number %s is not a positive integer".formatted(Quote.of(text)));
      return null;
    }
    Integer first = firstLines.putIfAbsent(serial, line);
    if (first != null) {
      errors.add(
          line,
          Header.SERIAL,
          "duplicate serial number %d (first on line %d)".formatted(serial, first));
      return null;
    }
    return serial;
  }
}
