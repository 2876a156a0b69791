package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRejectedExceptionTest {

  @Test
  void theMessageSummarisesTheErrorsForTheLog() {
    var e =
        new CsvRejectedException(
            CsvRejectedException.Reason.INVALID,
            List.of(new CsvError(3, "S. No.", "empty serial number"), new CsvError(5, null, "x")));

    assertThat(e)
        .hasMessage("CSV rejected (INVALID, 2 error(s)); first on line 3: empty serial number");
  }

  @Test
  void aRejectionWithoutErrorsIsABug() {
    assertThatThrownBy(
            () -> new CsvRejectedException(CsvRejectedException.Reason.TOO_LARGE, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsItsOwnCopyOfTheErrors() {
    List<CsvError> errors = new ArrayList<>(List.of(new CsvError(2, null, "bad")));
    var e = new CsvRejectedException(CsvRejectedException.Reason.INVALID, errors);
    errors.add(new CsvError(9, null, "later"));

    assertThat(e.errors()).containsExactly(new CsvError(2, null, "bad"));
  }
}
