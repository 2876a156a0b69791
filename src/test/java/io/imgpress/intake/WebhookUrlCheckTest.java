package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlCheckTest {

  private final WebhookUrlCheck check = new WebhookUrlCheck();

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\t"})
  void noWebhookWhenTheFieldIsMissingOrBlank(String raw) {
    assertThat(check.check(raw)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://hooks.example.com/done",
        "https://hooks.example.com:8443/a?b=c",
        "HTTPS://hooks.example.com/upper-case-scheme",
        "http://10.0.0.1/whose-address-is-judged-at-delivery"
      })
  void acceptsAbsoluteHttpUrls(String url) {
    assertThat(check.check(url)).isEqualTo(url);
  }

  @Test
  void trimsSurroundingSpace() {
    assertThat(check.check("  https://hooks.example.com/x \n"))
        .isEqualTo("https://hooks.example.com/x");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hooks.example.com/x",
        "mailto:ops@example.com",
        "hooks.example.com/x", // no scheme
        "/relative/path",
        "http:///no-host",
        "http://exa mple.com/", // not a URI
        "https://"
      })
  void refusesAnythingElse(String raw) {
    InvalidUploadException e = refused(raw);

    assertThat(e.field()).isEqualTo("webhookUrl");
    assertThat(e).hasMessage("webhookUrl must be an absolute http(s) URL");
  }

  @Test
  void acceptsUpTo2048Characters() {
    String prefix = "https://hooks.example.com/";
    String longest = prefix + "a".repeat(2048 - prefix.length());

    assertThat(check.check(longest)).isEqualTo(longest);
    assertThat(refused(longest + "a").field()).isEqualTo("webhookUrl");
  }

  private InvalidUploadException refused(String raw) {
    InvalidUploadException e =
        catchThrowableOfType(InvalidUploadException.class, () -> check.check(raw));
    assertThat(e).as("refused: %s", raw).isNotNull();
    return e;
  }
}
