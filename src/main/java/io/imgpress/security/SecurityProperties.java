package io.imgpress.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use the service from a browser.
 *
 * @param cors browser clients on other origins
 */
@Validated
@ConfigurationProperties("imgpress.security")
public record SecurityProperties(@NotNull @Valid @DefaultValue Cors cors) {

  /**
   * Whether callers must present an API key. There are no keys yet, so the service is open to one
   * trusted user and the browser checks that stand in for a key (the {@code Origin} check of
   * uploads) always apply; the API-key feature answers true when keys are configured.
   */
  public boolean apiKeysConfigured() {
    return false;
  }

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
