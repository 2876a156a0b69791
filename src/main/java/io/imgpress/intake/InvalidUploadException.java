package io.imgpress.intake;

/**
 * An upload field other than the CSV itself is unusable (webhook URL, quality, format, bounding
 * box).
 */
public class InvalidUploadException extends RuntimeException {

  private final String field;

  public InvalidUploadException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
