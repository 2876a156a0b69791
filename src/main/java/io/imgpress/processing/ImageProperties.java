package io.imgpress.processing;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and defaults of the images themselves.
 *
 * @param maxPixels images whose header declares more pixels are refused before decoding
 * @param defaultQuality JPEG quality when the upload names none
 * @param maxFrames images whose container declares more frames (animated GIF, WebP, PNG) or pages
 *     (TIFF) are refused before decoding; only the first frame is ever used
 * @param decodeTimeout the longest one image may take to decode and encode; past it the image fails
 *     and its worker moves on
 * @param previewSize the "before" preview of each image, made from the pixels the service fetched
 *     and decoded (so the page never loads a source URL in the viewer's browser), fits a square of
 *     this many pixels; 0 makes none
 * @param autoQualityTarget the SSIM (above 0, below 1) that {@code quality=auto} keeps each output
 *     at against its source, at the lowest quality that does (see {@link AutoQuality}); the default
 *     is what a quality-50 JPEG reaches on a typical photo
 */
@Validated
@ConfigurationProperties("imgpress.image")
public record ImageProperties(
    @Min(1) @DefaultValue("50000000") long maxPixels,
    @Min(1) @Max(100) @DefaultValue("50") int defaultQuality,
    @Min(1) @DefaultValue("1000") int maxFrames,
    @NotNull @DefaultValue("30s") Duration decodeTimeout,
    @Min(0) @Max(2048) @DefaultValue("320") int previewSize,
    @DefaultValue(AutoQuality.DEFAULT_TARGET_TEXT) double autoQualityTarget) {

  // Two constructors: this one is what Spring binds.
  @ConstructorBinding
  public ImageProperties {}

  /** The given limits, automatic quality at its default target. */
  public ImageProperties(
      long maxPixels, int defaultQuality, int maxFrames, Duration decodeTimeout, int previewSize) {
    this(
        maxPixels,
        defaultQuality,
        maxFrames,
        decodeTimeout,
        previewSize,
        AutoQuality.DEFAULT_TARGET);
  }

  /** The given pixel limit and quality, the other limits at their defaults. */
  public ImageProperties(long maxPixels, int defaultQuality) {
    this(maxPixels, defaultQuality, 1000, Duration.ofSeconds(30), 320);
  }

  /** Longest decode timeout: past it a stuck image would outlive the lease of its job. */
  static final Duration MAX_DECODE_TIMEOUT = Duration.ofMinutes(5);

  @AssertTrue(message = "auto-quality-target must be an SSIM above 0 and below 1")
  boolean isAutoQualityTargetValid() {
    return autoQualityTarget > 0 && autoQualityTarget < 1;
  }

  @AssertTrue(message = "decode-timeout must be more than 0 and at most 5m")
  boolean isDecodeTimeoutValid() {
    return decodeTimeout == null
        || (decodeTimeout.isPositive() && decodeTimeout.compareTo(MAX_DECODE_TIMEOUT) <= 0);
  }
}
