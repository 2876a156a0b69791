package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteTest {

  @Test
  void quotesAValueOfUpTo80CharsWhole() {
    String longest = "x".repeat(80);

    assertThat(Quote.of("")).isEqualTo("\"\"");
    assertThat(Quote.of(longest)).isEqualTo("\"" + longest + "\"");
  }

  @Test
  void cutsALongerValueTo80Chars() {
    assertThat(Quote.of("y".repeat(81))).isEqualTo("\"" + "y".repeat(79) + "…\"");
  }
}
