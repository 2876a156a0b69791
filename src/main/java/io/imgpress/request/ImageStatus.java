package io.imgpress.request;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of one image. A retried image goes back to {@code PENDING} with its last error. */
public enum ImageStatus {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED;
  }
}
