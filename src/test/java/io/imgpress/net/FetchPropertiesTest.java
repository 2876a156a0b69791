package io.imgpress.net;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class FetchPropertiesTest {

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();
  private final Validator validator = VALIDATION.getValidator();

  @AfterAll
  static void closeValidation() {
    VALIDATION.close();
  }

  private static FetchProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("imgpress.fetch", FetchProperties.class);
  }

  private static FetchProperties valid() {
    return new FetchProperties(
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        DataSize.ofMegabytes(25),
        5,
        false,
        32,
        Duration.ofMinutes(2),
        256,
        64);
  }

  private Set<String> violations(FetchProperties properties) {
    return validator.validate(properties).stream()
        .map(ConstraintViolation::getMessage)
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void defaults() {
    assertThat(bind(Map.of())).isEqualTo(valid());
    assertThat(violations(valid())).isEmpty();
  }

  @Test
  void bindsKebabCaseProperties() {
    FetchProperties properties =
        bind(
            Map.of(
                "imgpress.fetch.read-timeout", "2s",
                "imgpress.fetch.max-bytes", "10MB",
                "imgpress.fetch.max-redirects", "0",
                "imgpress.fetch.allow-private-networks", "true",
                "imgpress.fetch.max-connections", "8"));

    assertThat(properties)
        .isEqualTo(
            new FetchProperties(
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                DataSize.ofMegabytes(10),
                0,
                true,
                8,
                Duration.ofMinutes(2),
                256,
                64));
  }

  @Test
  void maxBytesRunsFromOneByteToOneGigabyte() {
    assertThat(violations(withMaxBytes(DataSize.ofBytes(1)))).isEmpty();
    assertThat(violations(withMaxBytes(DataSize.ofGigabytes(1)))).isEmpty();
    assertThat(violations(withMaxBytes(DataSize.ofBytes(0))))
        .containsExactly("max-bytes must be between 1B and 1GB");
    assertThat(violations(withMaxBytes(DataSize.ofBytes(DataSize.ofGigabytes(1).toBytes() + 1))))
        .containsExactly("max-bytes must be between 1B and 1GB");
  }

  private static FetchProperties withMaxBytes(DataSize maxBytes) {
    FetchProperties v = valid();
    return new FetchProperties(
        v.connectTimeout(),
        v.readTimeout(),
        maxBytes,
        v.maxRedirects(),
        v.allowPrivateNetworks(),
        v.maxConnections(),
        v.totalTimeout(),
        v.maxConcurrent(),
        v.maxConcurrentPerHost());
  }

  @Test
  void rejectsNonsense() {
    assertThat(
            violations(
                new FetchProperties(
                    Duration.ZERO,
                    Duration.ofSeconds(30),
                    DataSize.ofMegabytes(25),
                    5,
                    false,
                    32,
                    Duration.ofMinutes(2),
                    64,
                    16)))
        .containsExactly("connect-timeout, read-timeout and total-timeout must be positive");
    assertThat(
            violations(
                new FetchProperties(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    DataSize.ofGigabytes(2),
                    5,
                    false,
                    32,
                    Duration.ofMinutes(2),
                    64,
                    16)))
        .containsExactly("max-bytes must be between 1B and 1GB");
    assertThat(
            violations(
                new FetchProperties(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    DataSize.ofMegabytes(25),
                    -1,
                    false,
                    0,
                    Duration.ofMinutes(2),
                    64,
                    16)))
        .hasSize(2);
  }

  private static FetchProperties withConcurrency(int maxConcurrent, int perHost) {
    FetchProperties v = valid();
    return new FetchProperties(
        v.connectTimeout(),
        v.readTimeout(),
        v.maxBytes(),
        v.maxRedirects(),
        v.allowPrivateNetworks(),
        v.maxConnections(),
        v.totalTimeout(),
        maxConcurrent,
        perHost);
  }

  @Test
  void bindsTheConcurrencyLimits() {
    FetchProperties properties =
        bind(
            Map.of(
                "imgpress.fetch.max-concurrent", "200",
                "imgpress.fetch.max-concurrent-per-host", "20"));

    assertThat(properties).isEqualTo(withConcurrency(200, 20));
    assertThat(violations(properties)).isEmpty();
  }

  @Test
  void concurrencyLimitsHaveTheirRanges() {
    assertThat(violations(withConcurrency(1, 1))).isEmpty();
    assertThat(violations(withConcurrency(4096, 1024))).isEmpty();
    assertThat(violations(withConcurrency(0, 1))).hasSize(2); // below 1 and below per host
    assertThat(violations(withConcurrency(4097, 16))).hasSize(1);
    assertThat(violations(withConcurrency(64, 0))).hasSize(1);
    assertThat(violations(withConcurrency(2048, 1025))).hasSize(1);
  }

  @Test
  void perHostMustNotExceedTheTotal() {
    assertThat(violations(withConcurrency(16, 16))).isEmpty();
    assertThat(violations(withConcurrency(8, 16)))
        .containsExactly("max-concurrent-per-host must not exceed max-concurrent");
  }

  @Test
  void thePoolHoldsAConnectionForEveryDownloadInFlight() {
    assertThat(valid().poolSize()).isEqualTo(256); // max-concurrent beats max-connections 32
    FetchProperties v = valid();
    FetchProperties bigPool =
        new FetchProperties(
            v.connectTimeout(),
            v.readTimeout(),
            v.maxBytes(),
            v.maxRedirects(),
            v.allowPrivateNetworks(),
            100,
            v.totalTimeout(),
            64,
            16);
    assertThat(bigPool.poolSize()).isEqualTo(100);
  }

  @Test
  void theUserAgentDefaultsToOneThatSaysWhatIsAskingAndMayBeSet() {
    assertThat(bind(Map.of()).userAgentHeader()).isEqualTo(FetchProperties.DEFAULT_USER_AGENT);
    assertThat(bind(Map.of("imgpress.fetch.user-agent", "shop-bot/1")).userAgentHeader())
        .isEqualTo("shop-bot/1");
    assertThat(violations(bind(Map.of("imgpress.fetch.user-agent", "shop-bot/1")))).isEmpty();
  }

  @Test
  void aUserAgentThatWouldSplitTheHeaderIsRefused() {
    assertThat(violations(bind(Map.of("imgpress.fetch.user-agent", "bot\r\nX-Evil: 1"))))
        .contains("user-agent must be printable ASCII on one line");
  }

  @Test
  void maxRetryAfterDefaultsToTenMinutesAndMayOnlyBeLowered() {
    assertThat(bind(Map.of()).maxRetryAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(bind(Map.of("imgpress.fetch.max-retry-after", "30s")).maxRetryAfter())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(violations(bind(Map.of("imgpress.fetch.max-retry-after", "0s")))).isEmpty();
    for (String bad : List.of("-1s", "11m")) {
      assertThat(violations(bind(Map.of("imgpress.fetch.max-retry-after", bad))))
          .as(bad)
          .containsExactly("max-retry-after must be between 0s and 10m");
    }
  }

  @Test
  void hostListsAreEmptyByDefaultAndBindAsLists() {
    assertThat(bind(Map.of()).allowedHosts()).isEmpty();
    assertThat(bind(Map.of()).deniedHosts()).isEmpty();
    FetchProperties listed =
        bind(
            Map.of(
                "imgpress.fetch.allowed-hosts", "cdn.example.com,*.images.example.net",
                "imgpress.fetch.denied-hosts[0]", "bücher.example"));

    assertThat(listed.allowedHosts()).containsExactly("cdn.example.com", "*.images.example.net");
    assertThat(listed.deniedHosts()).containsExactly("bücher.example");
    assertThat(violations(listed)).isEmpty();
  }

  @Test
  void hostListEntriesMustBeHostsOrSubdomainPatterns() {
    for (String bad :
        List.of(
            "http://cdn.example.com",
            "cdn.example.com:443",
            "cdn.example.com/img",
            "*",
            "*.",
            "a.*.example.com",
            "ex ample.com",
            "",
            "[::1]")) {
      assertThat(violations(bind(Map.of("imgpress.fetch.denied-hosts[0]", bad))))
          .as(bad)
          .containsExactly(
              "denied-hosts entries must be host names or *.domain patterns (no scheme, port or"
                  + " path)");
      assertThat(violations(bind(Map.of("imgpress.fetch.allowed-hosts[0]", bad))))
          .as(bad)
          .hasSize(1);
    }
  }
}
