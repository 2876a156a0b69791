package io.imgpress.processing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and defaults of the images themselves.
 *
 * @param maxPixels images whose header declares more pixels are refused before decoding
 * @param defaultQuality JPEG quality when the upload names none
 * @param previewSize the "before" preview of each image, made from the pixels the service fetched
 *     and decoded (so the page never loads a source URL in the viewer's browser), fits a square of
 *     this many pixels; 0 makes none
 */
@Validated
@ConfigurationProperties("imgpress.image")
public record ImageProperties(
    @Min(1) @DefaultValue("50000000") long maxPixels,
    @Min(1) @Max(100) @DefaultValue("50") int defaultQuality,
    @Min(0) @Max(2048) @DefaultValue("320") int previewSize) {}
