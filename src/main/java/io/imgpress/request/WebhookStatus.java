package io.imgpress.request;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Delivery state of a request's completion webhook. */
public enum WebhookStatus {
  /** Waiting for the request to finish, or for the next attempt. */
  PENDING,
  DELIVERED,
  /** Every attempt failed. */
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
