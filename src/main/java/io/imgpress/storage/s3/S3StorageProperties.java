package io.imgpress.storage.s3;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The bucket of {@code imgpress.storage=s3}. Credentials are not among them: the AWS SDK's default
 * chain finds them (environment {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, the shared
 * profile files, web identity, container or instance roles).
 *
 * @param bucket the bucket; required with {@code imgpress.storage=s3}, which never creates it
 * @param endpoint the service's base URL for anything but AWS S3 (MinIO, R2, Ceph, ...); unset: AWS
 *     S3 of {@code region}
 * @param region the signing region (AWS: the bucket's region; most other services take any)
 * @param pathStyle {@code http://endpoint/bucket/key} instead of {@code
 *     http://bucket.endpoint/key}; most services other than AWS S3 want it
 * @param publicBaseUrl where clients fetch objects directly, e.g. a CDN in front of the bucket:
 *     output URLs become {@code {publicBaseUrl}/{keyPrefix}{requestId}/{imageId}.jpg}. Unset: they
 *     point at this service's {@code /images/...}, which streams each object from the bucket
 * @param keyPrefix prepended to every object key, for a bucket shared with other data: empty, or
 *     folders each ending in {@code /} (for example {@code imgpress/}); no {@code .} or {@code ..}
 *     folders, which a URL would resolve away
 * @param maxConnections pooled connections to the service, shared by the stores (up to 16 at once
 *     per batch) and the readers of {@code /images} (one for each response in progress)
 */
@Validated
@ConfigurationProperties("imgpress.storage.s3")
public record S3StorageProperties(
    @Pattern(
            regexp = "[A-Za-z0-9._-]{3,255}",
            message = "must be a bucket name (letters, digits, '.', '_', '-'), not a URL")
        String bucket,
    URI endpoint,
    @NotBlank @DefaultValue("us-east-1") String region,
    @DefaultValue("false") boolean pathStyle,
    String publicBaseUrl,
    @Size(max = 256)
        @Pattern(
            regexp = "((?!\\.{1,2}/)[A-Za-z0-9._-]+/)*",
            message =
                "must be empty or folders of letters, digits, '.', '_', '-', each ending in /"
                    + " (no . or .. folders)")
        String keyPrefix,
    @Min(1) @Max(1024) @DefaultValue("64") int maxConnections) {

  /** The width of the column that records an output's URL ({@code images.output_url}). */
  static final int MAX_OUTPUT_URL_LENGTH = 512;

  /**
   * The longest {@code {requestId}/{imageId}-before.jpg} (a preview's key): a UUID, a slash, 19
   * digits and {@code -before.jpg}.
   */
  static final int MAX_KEY_LENGTH = 36 + 1 + 19 + 11;

  public S3StorageProperties {
    keyPrefix = keyPrefix == null ? "" : keyPrefix;
    publicBaseUrl =
        publicBaseUrl == null || publicBaseUrl.isBlank() ? null : stripSlash(publicBaseUrl.trim());
  }

  @AssertTrue(
      message = "endpoint must be an absolute http(s) URL with a host, like http://minio:9000")
  boolean isEndpointValid() {
    return endpoint == null || isHttpUrl(endpoint) && endpoint.getRawQuery() == null;
  }

  @AssertTrue(
      message =
          "public-base-url must be an absolute http(s) URL with a host and no query or fragment")
  boolean isPublicBaseUrlValid() {
    if (publicBaseUrl == null) {
      return true;
    }
    try {
      URI uri = new URI(publicBaseUrl);
      return isHttpUrl(uri) && uri.getRawQuery() == null && uri.getRawFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  @AssertTrue(
      message =
          "public-base-url and key-prefix together are too long: the output URLs they make must"
              + " fit the 512 characters recorded for each image")
  boolean isOutputUrlShortEnough() {
    return publicBaseUrl == null || longestPublicUrl() <= MAX_OUTPUT_URL_LENGTH;
  }

  /** The length of the longest output URL these settings make. */
  int longestPublicUrl() {
    return publicBaseUrl.length() + 1 + keyPrefix.length() + MAX_KEY_LENGTH;
  }

  private static boolean isHttpUrl(URI uri) {
    return uri.isAbsolute()
        && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        && uri.getHost() != null;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
