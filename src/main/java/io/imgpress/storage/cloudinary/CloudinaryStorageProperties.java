package io.imgpress.storage.cloudinary;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Cloudinary product environment of {@code imgpress.storage=cloudinary}. The account itself
 * (cloud name, API key and secret, and optionally {@code upload_prefix}, {@code
 * secure_distribution}, {@code private_cdn}, {@code cname}...) comes from the standard {@code
 * CLOUDINARY_URL} environment variable, as every Cloudinary SDK reads it.
 *
 * @param url a {@code cloudinary://<api_key>:<api_secret>@<cloud_name>} URL that takes the place of
 *     {@code CLOUDINARY_URL}; for tests. It holds the secret: set {@code CLOUDINARY_URL} in the
 *     environment instead of writing it into a file, and it is never logged
 * @param folder the folder the outputs go to: each image's public id is {@code
 *     {folder}/{requestId}/{imageId}}; empty for none. Folders of letters, digits, {@code _} and
 *     {@code -}, separated by {@code /}
 * @param timeout the longest a call to Cloudinary (connect, then wait for the answer) may take
 * @param maxConnections pooled connections to Cloudinary, shared by the uploads (up to 16 at once
 *     per batch), the reads of {@code /images} and the health check
 * @param healthCheckInterval how long the answer of one health check (an Admin API ping) is reused:
 *     the Admin API is rate-limited per hour, and a readiness probe every few seconds would spend
 *     it
 */
@Validated
@ConfigurationProperties("imgpress.storage.cloudinary")
public record CloudinaryStorageProperties(
    String url,
    @DefaultValue("imgpress")
        @Size(max = 128)
        @Pattern(
            regexp = "([A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*)?",
            message =
                "must be empty or folders of letters, digits, '_' and '-' separated by / (no"
                    + " leading or trailing /)")
        String folder,
    @DefaultValue("60s") Duration timeout,
    @Min(1) @Max(1024) @DefaultValue("32") int maxConnections,
    @DefaultValue("60s") Duration healthCheckInterval) {

  public CloudinaryStorageProperties {
    url = url == null || url.isBlank() ? null : url.trim();
    folder = folder == null ? "" : folder;
  }

  @AssertTrue(message = "timeout must be between 1 second and 10 minutes")
  boolean isTimeoutValid() {
    return timeout != null
        && timeout.compareTo(Duration.ofSeconds(1)) >= 0
        && timeout.compareTo(Duration.ofMinutes(10)) <= 0;
  }

  @AssertTrue(message = "health-check-interval must be between 0 (check every time) and 1 hour")
  boolean isHealthCheckIntervalValid() {
    return healthCheckInterval != null
        && !healthCheckInterval.isNegative()
        && healthCheckInterval.compareTo(Duration.ofHours(1)) <= 0;
  }

  /** Without the URL, which holds the API secret. */
  @Override
  public String toString() {
    return "CloudinaryStorageProperties[url="
        + (url == null ? "unset" : "(set)")
        + ", folder="
        + folder
        + ", timeout="
        + timeout
        + ", maxConnections="
        + maxConnections
        + ", healthCheckInterval="
        + healthCheckInterval
        + "]";
  }
}
