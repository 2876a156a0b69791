package io.imgpress.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers errors so the client can fix a file in one round trip, but stops the parse once the list
 * is full: past that point more errors only cost time and response size.
 */
final class ErrorCollector {

  private final int maxErrors;
  private final List<CsvError> errors = new ArrayList<>();

  ErrorCollector(int maxErrors) {
    this.maxErrors = maxErrors;
  }

  void add(int line, String column, String message) {
    errors.add(new CsvError(line, column, message));
    if (errors.size() >= maxErrors) {
      throw reject();
    }
  }

  int count() {
    return errors.size();
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Adds a final error that ended the parse and returns the rejection to throw. */
  CsvRejectedException fatal(int line, String message) {
    if (errors.size() < maxErrors) {
      errors.add(new CsvError(line, null, message));
    }
    return reject();
  }

  CsvRejectedException reject() {
    return new CsvRejectedException(CsvRejectedException.Reason.INVALID, errors);
  }
}
