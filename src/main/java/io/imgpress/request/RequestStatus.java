package io.imgpress.request;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a request: final once every image is final. */
public enum RequestStatus {
  PENDING,
  PROCESSING,
  /** Every image is final and at least one succeeded. */
  COMPLETED,
  /** Every image failed. */
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED;
  }
}
