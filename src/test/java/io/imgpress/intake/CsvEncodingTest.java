package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.ascii;
import static io.imgpress.intake.CsvFixtures.bytes;
import static io.imgpress.intake.CsvFixtures.reject;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvEncodingTest {

  private static final IntakeProperties DEFAULTS = IntakeProperties.defaults();

  @Test
  void rejectsInvalidUtf8AtTheLineWhereItOccurs() {
    var in =
        bytes(
            ascii(HEADER + "1,A,http://a.jpg\n2,Caf"),
            new byte[] {(byte) 0xE9}, // "é" in Latin-1
            ascii(",http://b.jpg\n"));

    CsvRejectedException e = reject(DEFAULTS, in);

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.INVALID);
    assertThat(e.errors()).containsExactly(new CsvError(3, null, "not valid UTF-8 text"));
  }

  @Test
  void rejectsInvalidUtf8FarIntoTheFile() {
    var rows = new StringBuilder(HEADER);
    for (int i = 1; i <= 1_000; i++) {
      rows.append(i).append(",SKU,http://a.jpg\n");
    }
    var in = bytes(ascii(rows.toString()), ascii("1001,SKU"), new byte[] {(byte) 0xC3, '('});

    assertThat(reject(DEFAULTS, in).errors())
        .containsExactly(new CsvError(1_002, null, "not valid UTF-8 text"));
  }

  @Test
  void rejectsAUtf8SequenceCutOffAtTheEnd() {
    var in = bytes(ascii(HEADER + "1,A,http://a.jpg\n2,B"), new byte[] {(byte) 0xE2, (byte) 0x82});

    assertThat(reject(DEFAULTS, in).errors())
        .extracting(CsvError::message)
        .containsExactly("not valid UTF-8 text");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x01, 0x07, 0x1B, 0x7F})
  void rejectsControlCharactersAsBinary(int control) {
    var in = bytes(ascii(HEADER + "1,A"), new byte[] {(byte) control}, ascii(",http://a.jpg\n"));

    assertThat(reject(DEFAULTS, in).errors())
        .containsExactly(new CsvError(2, null, "binary data, not a CSV"));
  }

  @Test
  void rejectsAnImageUploadedInsteadOfACsv() {
    var png = bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13});

    assertThat(reject(DEFAULTS, png).errors())
        .extracting(CsvError::message)
        .containsAnyOf("binary data, not a CSV", "not valid UTF-8 text");
  }

  @Test
  void rejectsAnUnterminatedQuoteAtTheLineWhereItOpened() {
    String csv =
        HEADER + "1,A,http://a.jpg\n2,\"B,http://b.jpg\n3,C,http://c.jpg\n4,D,http://d.jpg\n";

    assertThat(reject(csv).errors())
        .containsExactly(new CsvError(3, null, "quote opened here is never closed"));
  }

  @Test
  void keepsErrorsFoundBeforeAFatalOne() {
    String csv = HEADER + "0,A,http://a.jpg\n2,\"B,http://b.jpg\n";

    assertThat(reject(csv).errors()).extracting(CsvError::line).containsExactly(2, 3);
  }
}
