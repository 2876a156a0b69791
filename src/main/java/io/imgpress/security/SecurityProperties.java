package io.imgpress.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use the service, and how much of it.
 *
 * @param cors browser clients on other origins
 * @param apiKeys entries {@code owner:sha256hex}, the SHA-256 in hex of each owner's key (see
 *     {@link ApiKeys}); empty (the default): no keys, the service is open to anyone who can reach
 *     it and serves them as one trusted user
 * @param limits what each key's owner may have at once or per hour
 */
@Validated
@ConfigurationProperties("imgpress.security")
public record SecurityProperties(
    @NotNull @Valid @DefaultValue Cors cors,
    @NotNull @DefaultValue List<String> apiKeys,
    @NotNull @Valid @DefaultValue Limits limits) {

  public SecurityProperties {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    // Refuses a bad entry at start, with the entry named.
    ApiKeys.parse(apiKeys);
  }

  /** The parsed keys. */
  public ApiKeys keys() {
    return ApiKeys.parse(apiKeys);
  }

  /**
   * Whether callers must present an API key. Without keys the service is open to one trusted user,
   * and the browser checks that stand in for a key (the {@code Origin} check of uploads) apply.
   */
  public boolean apiKeysConfigured() {
    return apiKeys.stream().anyMatch(entry -> entry != null && !entry.isBlank());
  }

  /**
   * Per-owner limits, checked at upload for requests made with a key (without keys there is one
   * trusted user and only {@code imgpress.intake.max-backlog} applies).
   *
   * @param maxUnfinishedRequests requests of one owner that may be pending or processing at once
   * @param imagesPerHour images one owner may upload in any hour (a sliding window: the images of
   *     the requests the owner made in the last 60 minutes, however they ended)
   */
  public record Limits(
      @DefaultValue("10") @Positive int maxUnfinishedRequests,
      @DefaultValue("100000") @Positive int imagesPerHour) {}

  /**
   * CORS for browser clients served from other origins (another web app calling this API).
   *
   * @param allowedOrigins exact origins ({@code https://app.example.com}, {@code
   *     http://localhost:3000}): scheme, host and port only, no path and no wildcard. They may read
   *     the API's answers from a browser and post uploads. Empty (the default): no other origin
   *     may, and the browser keeps pages elsewhere from reading anything
   */
  public record Cors(@NotNull @DefaultValue List<String> allowedOrigins) {

    public Cors {
      List<String> canonical = new ArrayList<>();
      for (String origin : allowedOrigins == null ? List.<String>of() : allowedOrigins) {
        canonical.add(
            Origins.parse(origin)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            ("imgpress.security.cors.allowed-origins: '%s' is not an origin; give"
                                    + " each as scheme://host[:port] (http or https), with no"
                                    + " path, no trailing slash and no wildcard")
                                .formatted(origin))));
      }
      allowedOrigins = List.copyOf(canonical);
    }
  }
}
