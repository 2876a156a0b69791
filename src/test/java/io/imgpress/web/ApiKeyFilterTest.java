package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.imgpress.security.SecurityProperties;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** What the filter says at start: once, a warning when the service is open. */
class ApiKeyFilterTest {

  final Logger logger = (Logger) LoggerFactory.getLogger(ApiKeyFilter.class);
  final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
  }

  private static SecurityProperties properties(List<String> keys) {
    return new SecurityProperties(
        new SecurityProperties.Cors(List.of()), keys, new SecurityProperties.Limits(10, 100_000));
  }

  @Test
  void withoutKeysItWarnsOnceThatTheServiceIsOpen() {
    new ApiKeyFilter(properties(List.of()), JsonMapper.builder().build());

    assertThat(events.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("No API keys are configured")
                  .contains("open to anyone who can reach it");
            });
  }

  @Test
  void withKeysItNamesTheOwnersAndNeverAKeyOrHash() throws Exception {
    String hash =
        HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest("k".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    new ApiKeyFilter(properties(List.of("alice:" + hash)), JsonMapper.builder().build());

    assertThat(events.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.INFO);
              assertThat(e.getFormattedMessage()).contains("alice").doesNotContain(hash);
            });
  }

  @Test
  void theBearerTokenIsReadInAnyCaseOfTheScheme() {
    assertThat(ApiKeyFilter.bearer("Bearer abc")).contains("abc");
    assertThat(ApiKeyFilter.bearer("bearer   abc ")).contains("abc");
    assertThat(ApiKeyFilter.bearer("Basic abc")).isEmpty();
    assertThat(ApiKeyFilter.bearer("Bearer ")).isEmpty();
    assertThat(ApiKeyFilter.bearer("Bearerabc")).isEmpty();
    assertThat(ApiKeyFilter.bearer(null)).isEmpty();
  }
}
