package io.imgpress;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every feature.
 *
 * @param dataDir where the embedded database, the stored images and the generated webhook secret
 *     live
 * @param publicBaseUrl base of the absolute URLs handed to clients (output images, status, CSV);
 *     empty means {@code http://localhost:{server port}}
 */
@Validated
@ConfigurationProperties("imgpress")
public record ImgpressProperties(
    @NotNull @DefaultValue("./data") Path dataDir, String publicBaseUrl) {}
