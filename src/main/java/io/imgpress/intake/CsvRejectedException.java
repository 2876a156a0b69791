package io.imgpress.intake;

import java.util.List;

/**
 * The upload as a whole was refused; nothing from it may be processed. The reason tells the web
 * layer which status to answer with, the errors tell the client what to fix.
 */
public class CsvRejectedException extends RuntimeException {

  public enum Reason {
    /** The content is wrong (400). */
    INVALID,
    /** A size or row limit was exceeded (413). */
    TOO_LARGE
  }

  private final Reason reason;
  private final List<CsvError> errors;

  public CsvRejectedException(Reason reason, List<CsvError> errors) {
    super(summary(reason, errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a rejection needs at least one error");
    }
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  public List<CsvError> errors() {
    return errors;
  }

  public Reason reason() {
    return reason;
  }

  private static String summary(Reason reason, List<CsvError> errors) {
    if (errors.isEmpty()) {
      return "CSV rejected (" + reason + ")";
    }
    CsvError first = errors.getFirst();
    return "CSV rejected (%s, %d error(s)); first on line %d: %s"
        .formatted(reason, errors.size(), first.line(), first.message());
  }
}
