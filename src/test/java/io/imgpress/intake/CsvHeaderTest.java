package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.parse;
import static io.imgpress.intake.CsvFixtures.reject;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvHeaderTest {

  private static final String ROW = "1,SKU1,http://a.jpg\n";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "S. No.,Product Name,Input Image Urls",
        "S.No,product name,INPUT IMAGE URLS",
        "Serial Number,Product_Name,Input-Image-URLs",
        "SNo,\"Product Name\",\"Input Image Url\"",
        " s no ,  product name , input image urls ",
        "\uFEFFS. No.,Product Name,Input Image Urls",
        "\uFEFF\"S. No.\",Product Name,Input Image Urls"
      })
  void acceptsTheUsualSpellings(String header) {
    assertThat(parse(header + "\n" + ROW)).hasSize(1);
  }

  @Test
  void reportsAnUnknownHeaderPerColumnOnLineOne() {
    CsvRejectedException e = reject("Id,Product Name,Images\n" + ROW);

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.INVALID);
    assertThat(e.errors())
        .containsExactly(
            new CsvError(1, "S. No.", "expected column \"S. No.\" but found \"Id\""),
            new CsvError(
                1,
                "Input Image Urls",
                "expected column \"Input Image Urls\" but found \"Images\""));
  }

  @Test
  void rejectsColumnsOutOfOrder() {
    CsvRejectedException e = reject("Product Name,S. No.,Input Image Urls\n" + ROW);

    assertThat(e.errors()).extracting(CsvError::column).containsExactly("S. No.", "Product Name");
  }

  @Test
  void rejectsAMissingColumn() {
    assertThat(reject("S. No.,Product Name\n1,SKU1\n").errors())
        .containsExactly(
            new CsvError(1, "Input Image Urls", "missing column \"Input Image Urls\""));
  }

  @Test
  void rejectsAFileThatStartsWithData() {
    assertThat(reject(ROW).errors()).hasSize(3).allSatisfy(e -> assertThat(e.line()).isEqualTo(1));
  }

  @Test
  void rejectsAnEmptyFile() {
    assertThat(reject("").errors()).containsExactly(new CsvError(1, null, "empty file"));
    assertThat(reject("\n\r\n").errors())
        .extracting(CsvError::message)
        .containsExactly("empty file");
  }

  @Test
  void rejectsAFileWithoutDataRows() {
    assertThat(reject("S. No.,Product Name,Input Image Urls\n\n\n").errors())
        .extracting(CsvError::message)
        .containsExactly("no data rows");
  }
}
