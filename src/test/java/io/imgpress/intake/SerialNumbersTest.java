package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser only needs "no serial" to be null; the messages are covered by the CSV tests. */
class SerialNumbersTest {

  private final SerialNumbers serials = new SerialNumbers();
  private final ErrorCollector errors = new ErrorCollector(100);

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "0", "-1", "1.5", "x", "1234567890123456789"})
  void noSerialForACellWithoutAPositiveInteger(String cell) {
    assertThat(serials.read(cell, 2, errors)).isNull();
    assertThat(errors.count()).isEqualTo(1);
  }

  @Test
  void noSerialForADuplicate() {
    assertThat(serials.read("7", 2, errors)).isEqualTo(7L);
    assertThat(serials.read("7.", 3, errors)).isNull();
    assertThat(errors.count()).isEqualTo(1);
  }

  @Test
  void readsTheLargestSerialOf18Digits() {
    assertThat(serials.read(" 999999999999999999 ", 2, errors)).isEqualTo(999_999_999_999_999_999L);
    assertThat(errors.isEmpty()).isTrue();
  }
}
