package io.imgpress.intake;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits for one CSV upload, and how the job that expands an accepted upload into images retries.
 * The defaults keep a single upload small enough to parse in memory and to process in reasonable
 * time; every limit must stay positive or intake would refuse everything. The lengths may not
 * exceed the columns that store them (schema V1: {@code input_url varchar(4096)}, {@code name
 * varchar(2000)}): a value that passed validation but did not fit would fail its request later.
 *
 * @param maxImages most image URLs in one upload, over all its rows; each becomes a job, and the
 *     expansion of an upload into images is one transaction
 * @param maxUrlLength most characters in one image URL
 * @param maxProductNameLength most characters in a product name (after stripping spaces)
 * @param maxAttempts tries of the expansion job before the request fails for good; an error that
 *     repeating cannot mend (a value the database refuses) fails it at once
 * @param initialBackoff wait before the expansion is tried again; doubled each time, with jitter
 * @param maxBackoff upper bound of that wait
 * @param maxBacklog jobs waiting in the queue (images, uploads to expand, webhooks; as the queue
 *     depth metric counts them, read at most every 5 s) from which uploads are refused with 503 and
 *     {@code Retry-After} instead of piling up behind them; 0 for no limit
 * @param backlogRetryAfter what that {@code Retry-After} says
 */
@ConfigurationProperties("imgpress.intake")
@Validated
public record IntakeProperties(
    @DefaultValue("10MB") @NotNull DataSize maxFileSize,
    @DefaultValue("10000") @Positive int maxRows,
    @DefaultValue("50") @Positive int maxUrlsPerRow,
    @DefaultValue("50000") @Positive int maxImages,
    @DefaultValue("4096") @Positive @Max(SCHEMA_URL_LENGTH) int maxUrlLength,
    @DefaultValue("2000") @Positive @Max(SCHEMA_NAME_LENGTH) int maxProductNameLength,
    @DefaultValue("100") @Positive int maxErrors,
    @DefaultValue("8") @Positive int maxAttempts,
    @DefaultValue("2s") @NotNull Duration initialBackoff,
    @DefaultValue("1m") @NotNull Duration maxBackoff,
    @DefaultValue("500000") @PositiveOrZero long maxBacklog,
    @DefaultValue("30s") @NotNull Duration backlogRetryAfter) {

  @ConstructorBinding
  public IntakeProperties {}

  /** The upload limits and retries, with the default backlog limit. */
  public IntakeProperties(
      DataSize maxFileSize,
      int maxRows,
      int maxUrlsPerRow,
      int maxImages,
      int maxUrlLength,
      int maxProductNameLength,
      int maxErrors,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff) {
    this(
        maxFileSize,
        maxRows,
        maxUrlsPerRow,
        maxImages,
        maxUrlLength,
        maxProductNameLength,
        maxErrors,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        DEFAULT_MAX_BACKLOG,
        DEFAULT_BACKLOG_RETRY_AFTER);
  }

  static final long DEFAULT_MAX_BACKLOG = 500_000;

  static final Duration DEFAULT_BACKLOG_RETRY_AFTER = Duration.ofSeconds(30);

  /** Width of {@code images.input_url}. */
  static final int SCHEMA_URL_LENGTH = 4096;

  /** Width of {@code products.name}. */
  static final int SCHEMA_NAME_LENGTH = 2000;

  /** The same values Spring binds when nothing is configured; handy outside a Spring context. */
  public static IntakeProperties defaults() {
    return new IntakeProperties(
        DataSize.ofMegabytes(10),
        10_000,
        50,
        50_000,
        SCHEMA_URL_LENGTH,
        SCHEMA_NAME_LENGTH,
        100,
        8,
        Duration.ofSeconds(2),
        Duration.ofMinutes(1));
  }

  // DataSize has no Bean Validation support of its own.
  @AssertTrue(message = "must be positive")
  boolean isMaxFileSizePositive() {
    return maxFileSize == null || maxFileSize.toBytes() > 0;
  }

  @AssertTrue(message = "backlogRetryAfter must be from 1s to 1h")
  boolean isBacklogRetryAfterValid() {
    return backlogRetryAfter == null
        || (backlogRetryAfter.compareTo(Duration.ofSeconds(1)) >= 0
            && backlogRetryAfter.compareTo(Duration.ofHours(1)) <= 0);
  }

  @AssertTrue(message = "must be positive and no shorter than initialBackoff")
  boolean isBackoffValid() {
    return initialBackoff == null
        || maxBackoff == null
        || (initialBackoff.isPositive() && maxBackoff.compareTo(initialBackoff) >= 0);
  }
}
