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
 */
@Validated
@ConfigurationProperties("imgpress.image")
public record ImageProperties(
    @Min(1) @DefaultValue("50000000") long maxPixels,
    @Min(1) @Max(100) @DefaultValue("50") int defaultQuality) {}
