package io.imgpress.net;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How source images are downloaded.
 *
 * @param readTimeout longest wait for the response head and between two reads of the body
 * @param maxBytes largest body accepted; the body is held in memory, hence the upper bound
 * @param allowPrivateNetworks lets requests reach loopback and private addresses; for local
 *     development only, never in production
 * @param maxConnections connection pool size; the pool takes the larger of this and {@code
 *     maxConcurrent}
 * @param totalTimeout longest a whole download may take, redirects included; the read timeout alone
 *     lets a source that sends a byte now and then hold a worker for ever; time spent waiting for
 *     the byte budget does not count
 * @param maxConcurrent downloads in flight at once, all hosts together; the connection pool grows
 *     to at least this size
 * @param maxConcurrentPerHost downloads in flight at once to one host (host and port), so one busy
 *     source cannot take every slot; also the pool's connections per host
 * @param userAgent the {@code User-Agent} of every download; empty for {@link #DEFAULT_USER_AGENT},
 *     which says what is asking, so that a source's operators can tell it from a scraper
 * @param allowedHosts when not empty, the only hosts images are downloaded from, first URL and
 *     every redirect: exact names or {@code *.example.com} for subdomains (see {@link
 *     HostPatterns}); not applied to webhooks
 * @param deniedHosts hosts never contacted, for images and webhooks alike; wins over {@code
 *     allowedHosts}
 * @param maxRetryAfter longest wait a source's {@code Retry-After} (on a 429 or 503) may impose
 *     before its image is retried and while its host is paused; a longer one is cut to this, so a
 *     source cannot hold its images, or its host's, longer than configured; at most the default, 10
 *     minutes
 */
@ConfigurationProperties("imgpress.fetch")
@Validated
public record FetchProperties(
    @DefaultValue("5s") @NotNull Duration connectTimeout,
    @DefaultValue("30s") @NotNull Duration readTimeout,
    @DefaultValue("25MB") @NotNull DataSize maxBytes,
    @DefaultValue("5") @Min(0) @Max(20) int maxRedirects,
    @DefaultValue("false") boolean allowPrivateNetworks,
    @DefaultValue("32") @Min(1) @Max(1024) int maxConnections,
    @DefaultValue("2m") @NotNull Duration totalTimeout,
    @DefaultValue("256") @Min(1) @Max(4096) int maxConcurrent,
    @DefaultValue("64") @Min(1) @Max(1024) int maxConcurrentPerHost,
    @DefaultValue("") @Size(max = 256) String userAgent,
    @DefaultValue @Size(max = 1000) List<String> allowedHosts,
    @DefaultValue @Size(max = 1000) List<String> deniedHosts,
    @DefaultValue("10m") @NotNull Duration maxRetryAfter) {

  static final DataSize MAX_BYTES_LIMIT = DataSize.ofGigabytes(1);

  /** What {@code max-retry-after} is when not set. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(10);

  @ConstructorBinding
  public FetchProperties {
    // Not List.copyOf: a null entry must reach the validation, not fail binding with an NPE.
    allowedHosts =
        allowedHosts == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(allowedHosts));
    deniedHosts =
        deniedHosts == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(deniedHosts));
  }

  /** The settings before {@code max-retry-after} existed, with its default. */
  public FetchProperties(
      Duration connectTimeout,
      Duration readTimeout,
      DataSize maxBytes,
      int maxRedirects,
      boolean allowPrivateNetworks,
      int maxConnections,
      Duration totalTimeout,
      int maxConcurrent,
      int maxConcurrentPerHost,
      String userAgent,
      List<String> allowedHosts,
      List<String> deniedHosts) {
    this(
        connectTimeout,
        readTimeout,
        maxBytes,
        maxRedirects,
        allowPrivateNetworks,
        maxConnections,
        totalTimeout,
        maxConcurrent,
        maxConcurrentPerHost,
        userAgent,
        allowedHosts,
        deniedHosts,
        DEFAULT_MAX_RETRY_AFTER);
  }

  /** The settings before the host lists existed: no list. */
  public FetchProperties(
      Duration connectTimeout,
      Duration readTimeout,
      DataSize maxBytes,
      int maxRedirects,
      boolean allowPrivateNetworks,
      int maxConnections,
      Duration totalTimeout,
      int maxConcurrent,
      int maxConcurrentPerHost,
      String userAgent) {
    this(
        connectTimeout,
        readTimeout,
        maxBytes,
        maxRedirects,
        allowPrivateNetworks,
        maxConnections,
        totalTimeout,
        maxConcurrent,
        maxConcurrentPerHost,
        userAgent,
        List.of(),
        List.of());
  }

  /** What a download says it is when {@code user-agent} is not set. */
  public static final String DEFAULT_USER_AGENT =
      "imgpress/1 (catalogue image compression; fetches the image URLs its users list)";

  /** The settings before {@code user-agent} existed, with the default agent. */
  public FetchProperties(
      Duration connectTimeout,
      Duration readTimeout,
      DataSize maxBytes,
      int maxRedirects,
      boolean allowPrivateNetworks,
      int maxConnections,
      Duration totalTimeout,
      int maxConcurrent,
      int maxConcurrentPerHost) {
    this(
        connectTimeout,
        readTimeout,
        maxBytes,
        maxRedirects,
        allowPrivateNetworks,
        maxConnections,
        totalTimeout,
        maxConcurrent,
        maxConcurrentPerHost,
        "");
  }

  /** The {@code User-Agent} header to send: the configured one, or the default. */
  public String userAgentHeader() {
    return userAgent == null || userAgent.isBlank() ? DEFAULT_USER_AGENT : userAgent.strip();
  }

  @AssertTrue(message = "user-agent must be printable ASCII on one line")
  boolean isUserAgentPrintable() {
    return userAgent == null || userAgent.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
  }

  @AssertTrue(
      message =
          "allowed-hosts entries must be host names or *.domain patterns (no scheme, port or path)")
  boolean isAllowedHostsValid() {
    return HostPatterns.firstInvalid(allowedHosts).isEmpty();
  }

  @AssertTrue(
      message =
          "denied-hosts entries must be host names or *.domain patterns (no scheme, port or path)")
  boolean isDeniedHostsValid() {
    return HostPatterns.firstInvalid(deniedHosts).isEmpty();
  }

  @AssertTrue(message = "connect-timeout, read-timeout and total-timeout must be positive")
  boolean isTimeoutsPositive() {
    return positive(connectTimeout) && positive(readTimeout) && positive(totalTimeout);
  }

  @AssertTrue(message = "max-retry-after must be between 0s and 10m")
  boolean isMaxRetryAfterInRange() {
    return maxRetryAfter == null
        || (!maxRetryAfter.isNegative() && maxRetryAfter.compareTo(DEFAULT_MAX_RETRY_AFTER) <= 0);
  }

  @AssertTrue(message = "max-bytes must be between 1B and 1GB")
  boolean isMaxBytesInRange() {
    return maxBytes == null || (maxBytes.toBytes() > 0 && maxBytes.compareTo(MAX_BYTES_LIMIT) <= 0);
  }

  @AssertTrue(message = "max-concurrent-per-host must not exceed max-concurrent")
  boolean isPerHostWithinTotal() {
    return maxConcurrentPerHost <= maxConcurrent;
  }

  /** Pooled connections in all: enough for every download in flight. */
  public int poolSize() {
    return Math.max(maxConnections, maxConcurrent);
  }

  private static boolean positive(Duration duration) {
    return duration == null || (!duration.isNegative() && !duration.isZero());
  }
}
