package io.imgpress.net;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
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
        Duration.ofMinutes(2));
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
                Duration.ofMinutes(2)));
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
        v.totalTimeout());
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
                    Duration.ofMinutes(2))))
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
                    Duration.ofMinutes(2))))
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
                    Duration.ofMinutes(2))))
        .hasSize(2);
  }
}
