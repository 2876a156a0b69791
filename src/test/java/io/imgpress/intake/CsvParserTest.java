package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvParserTest {

  @Test
  void parsesTheAssignmentSample() {
    String csv =
        """
        S. No.,Product Name,Input Image Urls
        1,SKU1,"https://www.public-image-url1.jpg,https://www.public-image-url2.jpg,https://www.public-image-url3.jpg"
        2,SKU2,"https://www.public-image-url1.jpg,https://www.public-image-url2.jpg,https://www.public-image-url3.jpg"
        """;
    List<String> urls =
        List.of(
            "https://www.public-image-url1.jpg",
            "https://www.public-image-url2.jpg",
            "https://www.public-image-url3.jpg");

    assertThat(parse(csv))
        .containsExactly(new ParsedRow(2, 1, "SKU1", urls), new ParsedRow(3, 2, "SKU2", urls));
  }

  @Test
  void unquotedUrlListRunsOverTheTrailingColumns() {
    assertThat(parse(HEADER + "1,SKU1,http://a.jpg,http://b.jpg\n"))
        .singleElement()
        .extracting(ParsedRow::inputUrls)
        .isEqualTo(List.of("http://a.jpg", "http://b.jpg"));
  }

  @Test
  void quotedAndUnquotedUrlColumnsCombine() {
    assertThat(parse(HEADER + "1,SKU1,\"http://a.jpg,http://b.jpg\",http://c.jpg\n"))
        .singleElement()
        .extracting(ParsedRow::inputUrls)
        .isEqualTo(List.of("http://a.jpg", "http://b.jpg", "http://c.jpg"));
  }

  @Test
  void acceptsCrlfLfAndNoFinalLineEnd() {
    String crlf =
        "S. No.,Product Name,Input Image Urls\r\n1,A,http://a.jpg\r\n2,B,http://b.jpg\r\n";
    String lf = "S. No.,Product Name,Input Image Urls\n1,A,http://a.jpg\n2,B,http://b.jpg";

    assertThat(parse(crlf)).isEqualTo(parse(lf)).extracting(ParsedRow::line).containsExactly(2, 3);
  }

  @Test
  void unescapesDoubledQuotesAndKeepsCommasInQuotedFields() {
    assertThat(parse(HEADER + "1,\"Shoe \"\"Air\"\", red\",http://a.jpg\n"))
        .singleElement()
        .extracting(ParsedRow::productName)
        .isEqualTo("Shoe \"Air\", red");
  }

  @Test
  void recordsSpanningLinesAreNumberedByTheirFirstLine() {
    String csv =
        HEADER
            + "1,SKU1,\"http://a.jpg,\r\nhttp://b.jpg,\nhttp://c.jpg\"\n"
            + "2,SKU2,http://d.jpg\n";

    List<ParsedRow> rows = parse(csv);

    assertThat(rows).extracting(ParsedRow::line).containsExactly(2, 5);
    assertThat(rows.getFirst().inputUrls()).hasSize(3);
  }

  @Test
  void urlCellToleratesWhitespaceLineBreaksAndEmptyPieces() {
    String csv =
        HEADER + "1,SKU1,\" http://a.jpg , ,http://b.jpg,,\n\thttp://c.jpg\nhttp://d.jpg ,\"\n";

    assertThat(parse(csv).getFirst().inputUrls())
        .containsExactly("http://a.jpg", "http://b.jpg", "http://c.jpg", "http://d.jpg");
  }

  @Test
  void skipsBlankLinesButKeepsPhysicalLineNumbers() {
    String csv = "\n" + HEADER + "\n1,A,http://a.jpg\r\n\r\n,,\n  \n2,B,http://b.jpg\n\n";

    assertThat(parse(csv)).extracting(ParsedRow::line).containsExactly(4, 8);
  }

  @Test
  void trimsValuesAndAcceptsATrailingDotOnTheSerial() {
    assertThat(parse(HEADER + " 7. ,  Blue Mug  ,http://a.jpg\n"))
        .containsExactly(new ParsedRow(2, 7, "Blue Mug", List.of("http://a.jpg")));
  }

  @Test
  void ignoresDataUnderExtraNamedColumns() {
    String csv = "S. No.,Product Name,Input Image Urls,Notes\n1,SKU1,http://a.jpg,not a url\n";

    assertThat(parse(csv).getFirst().inputUrls()).containsExactly("http://a.jpg");
  }

  @Test
  void emptyTrailingHeaderCellsStillLetUrlsRunOver() {
    String csv = "S. No.,Product Name,Input Image Urls,,\n1,SKU1,http://a.jpg,http://b.jpg\n";

    assertThat(parse(csv).getFirst().inputUrls()).containsExactly("http://a.jpg", "http://b.jpg");
  }

  @Test
  void keepsNonAsciiTextAndTabs() {
    assertThat(parse(HEADER + "1,Café\t☕ 🍰,https://cdn.example/brötchen.jpg\n"))
        .singleElement()
        .extracting(ParsedRow::productName)
        .isEqualTo("Café\t☕ 🍰");
  }
}
