package io.imgpress.intake;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits for one CSV upload. The defaults keep a single upload small enough to parse in memory and
 * to process in reasonable time; every limit must stay positive or intake would refuse everything.
 */
@ConfigurationProperties("imgpress.intake")
@Validated
public record IntakeProperties(
    @DefaultValue("10MB") @NotNull DataSize maxFileSize,
    @DefaultValue("10000") @Positive int maxRows,
    @DefaultValue("50") @Positive int maxUrlsPerRow,
    @DefaultValue("100") @Positive int maxErrors) {

  /** The same values Spring binds when nothing is configured; handy outside a Spring context. */
  public static IntakeProperties defaults() {
    return new IntakeProperties(DataSize.ofMegabytes(10), 10_000, 50, 100);
  }

  // DataSize has no Bean Validation support of its own.
  @AssertTrue(message = "must be positive")
  boolean isMaxFileSizePositive() {
    return maxFileSize == null || maxFileSize.toBytes() > 0;
  }
}
