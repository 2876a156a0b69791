package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.intake.CsvRejectedException;
import io.imgpress.intake.InvalidUploadException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code imgpress.uploads} (outcome = accepted | rejected, reason = none | invalid_csv | too_large
 * | invalid_field): uploads as their clients saw them. Server errors are not rejections; they show
 * in {@code http.server.requests} with {@code outcome=SERVER_ERROR}.
 */
@ConditionalOnApiRole
@Component
class UploadMetrics {

  static final String UPLOADS = "imgpress.uploads";

  private final Counter accepted;
  private final Counter invalidCsv;
  private final Counter tooLarge;
  private final Counter invalidField;

  UploadMetrics(MeterRegistry registry) {
    this.accepted = counter(registry, "accepted", "none");
    this.invalidCsv = counter(registry, "rejected", "invalid_csv");
    this.tooLarge = counter(registry, "rejected", "too_large");
    this.invalidField = counter(registry, "rejected", "invalid_field");
  }

  void accepted() {
    accepted.increment();
  }

  /** Counts the failure if it is a rejection of the upload; anything else is not counted. */
  void failed(RuntimeException failure) {
    switch (failure) {
      case CsvRejectedException e when e.reason() == CsvRejectedException.Reason.TOO_LARGE ->
          tooLarge.increment();
      case CsvRejectedException e -> invalidCsv.increment();
      case InvalidUploadException e -> invalidField.increment();
      default -> {}
    }
  }

  private static Counter counter(MeterRegistry registry, String outcome, String reason) {
    return Counter.builder(UPLOADS)
        .description("Uploads by outcome")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry);
  }
}
