package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.parse;
import static io.imgpress.intake.CsvFixtures.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IPv4 addresses spelt so that browsers and curl read one address and Java another (0177.0.0.1 is
 * 127.0.0.1 to a browser, 177.0.0.1 to Java) are refused at upload, not guessed at.
 */
class AmbiguousAddressTest {

  static final String AMBIGUOUS =
      " has an ambiguous address: write an IPv4 address as four decimal numbers 0-255 without"
          + " leading zeros";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://0177.0.0.1/a.jpg",
        "http://0x7f.1/a.jpg",
        "http://017700000001/a.jpg",
        "https://127.000.000.001:8443/a.jpg"
      })
  void imageUrlIsRejectedWithItsLineAndColumn(String url) {
    CsvRejectedException e =
        reject(HEADER + "1,SKU1,https://cdn.example.com/ok.jpg\n2,SKU2," + url + "\n");

    assertThat(e.errors())
        .containsExactly(new CsvError(3, "Input Image Urls", "URL \"" + url + "\"" + AMBIGUOUS));
  }

  @Test
  void plainAddressesAndNamesThatStartWithDigitsPass() {
    assertThat(
            parse(
                HEADER
                    + "1,A,http://8.8.8.8/a.jpg\n"
                    + "2,B,http://2130706433/b.jpg\n"
                    + "3,C,http://1e100.net/c.jpg\n"
                    + "4,D,http://[2001:db8::1]/d.jpg\n"))
        .hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://0177.0.0.1/hook", "http://0x7f.1/hook", "http://127.1/hook"})
  void webhookUrlIsRefused(String url) {
    assertThatThrownBy(
            () ->
                new WebhookUrlCheck(
                        true,
                        host -> {
                          throw new AssertionError(
                              "an ambiguous host is refused before any lookup");
                        },
                        Duration.ofSeconds(1))
                    .check(url))
        .isInstanceOfSatisfying(
            InvalidUploadException.class,
            e -> {
              assertThat(e.field()).isEqualTo("webhookUrl");
              assertThat(e).hasMessage("webhookUrl" + AMBIGUOUS);
            });
  }
}
