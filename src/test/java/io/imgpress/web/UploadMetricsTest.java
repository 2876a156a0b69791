package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.intake.CsvError;
import io.imgpress.intake.CsvRejectedException;
import io.imgpress.intake.CsvRejectedException.Reason;
import io.imgpress.intake.InvalidUploadException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadMetricsTest {

  final MeterRegistry registry = new SimpleMeterRegistry();
  final UploadMetrics metrics = new UploadMetrics(registry);

  @Test
  void countsAcceptedUploads() {
    metrics.accepted();

    assertThat(count("accepted", "none")).isEqualTo(1);
  }

  @Test
  void countsEachRejectionUnderItsReason() {
    List<CsvError> errors = List.of(new CsvError(2, null, "bad"));
    metrics.failed(new CsvRejectedException(Reason.INVALID, errors));
    metrics.failed(new CsvRejectedException(Reason.TOO_LARGE, errors));
    metrics.failed(new CsvRejectedException(Reason.TOO_LARGE, errors));
    metrics.failed(new InvalidUploadException("quality", "quality must be 1..100"));

    assertThat(count("rejected", "invalid_csv")).isEqualTo(1);
    assertThat(count("rejected", "too_large")).isEqualTo(2);
    assertThat(count("rejected", "invalid_field")).isEqualTo(1);
  }

  @Test
  void serverErrorsAreNoRejection() {
    metrics.failed(new IllegalStateException("database down"));

    assertThat(registry.get(UploadMetrics.UPLOADS).counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  private double count(String outcome, String reason) {
    return registry
        .get(UploadMetrics.UPLOADS)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .counter()
        .count();
  }
}
