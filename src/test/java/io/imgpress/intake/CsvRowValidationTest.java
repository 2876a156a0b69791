package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.limits;
import static io.imgpress.intake.CsvFixtures.parse;
import static io.imgpress.intake.CsvFixtures.reject;
import static io.imgpress.intake.CsvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvRowValidationTest {

  private static CsvError onlyError(String row) {
    CsvRejectedException e = reject(HEADER + row + "\n");
    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.INVALID);
    assertThat(e.errors()).hasSize(1);
    return e.errors().getFirst();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-1", "+1", "1.5", "1..", "1e3", "١", "99999999999999999999"})
  void rejectsSerialsThatAreNotPositiveIntegers(String serial) {
    assertThat(onlyError(serial + ",SKU1,http://a.jpg"))
        .isEqualTo(
            new CsvError(
                2, "S. No.", "serial number \"" + serial + "\" is not a positive integer"));
  }

  @Test
  void rejectsAnEmptySerial() {
    assertThat(onlyError(" ,SKU1,http://a.jpg"))
        .isEqualTo(new CsvError(2, "S. No.", "empty serial number"));
  }

  @Test
  void rejectsDuplicateSerialsEvenWhenSpelledDifferently() {
    CsvRejectedException e =
        reject(HEADER + "3,A,http://a.jpg\n4,B,http://b.jpg\n3.,C,http://c.jpg\n");

    assertThat(e.errors())
        .containsExactly(new CsvError(4, "S. No.", "duplicate serial number 3 (first on line 2)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1,,http://a.jpg", "1,   ,http://a.jpg", "1,\"\",http://a.jpg"})
  void rejectsAnEmptyProductName(String row) {
    assertThat(onlyError(row)).isEqualTo(new CsvError(2, "Product Name", "empty product name"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1,SKU1", "1,SKU1,", "1,SKU1,\" , ,\"", "1,SKU1,,,"})
  void requiresAtLeastOneUrl(String row) {
    assertThat(onlyError(row)).isEqualTo(new CsvError(2, "Input Image Urls", "no image URL"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://x                  | URL \"ftp://x\" is not http(s)",
        "file:///etc/passwd       | URL \"file:///etc/passwd\" is not http(s)",
        "javascript:alert(1)      | URL \"javascript:alert(1)\" is not http(s)",
        "mailto:a@b.example       | URL \"mailto:a@b.example\" is not http(s)",
        "/images/a.jpg            | URL \"/images/a.jpg\" is not absolute",
        "www.example.com/a.jpg    | URL \"www.example.com/a.jpg\" is not absolute",
        "http://exa mple.com/a.jpg| URL \"http://exa mple.com/a.jpg\" contains whitespace",
        "http://                  | URL \"http://\" is not a valid URL",
        "http://[::1/a.jpg        | URL \"http://[::1/a.jpg\" is not a valid URL",
        "https:///a.jpg           | URL \"https:///a.jpg\" has no valid host",
        "http:a.jpg               | URL \"http:a.jpg\" has no valid host",
      })
  void rejectsUrlsThatAreNotAbsoluteHttp(String url, String message) {
    assertThat(onlyError("1,SKU1,\"" + url + "\""))
        .isEqualTo(new CsvError(2, "Input Image Urls", message));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTPS://CDN.EXAMPLE.COM/A.JPG",
        "http://cdn.example.com:8080/a.jpg?w=100&h=100#x",
        "http://127.0.0.1/a.jpg",
        "http://[::1]/a.jpg",
        "https://www.public-image-url1.jpg"
      })
  void acceptsAbsoluteHttpUrls(String url) {
    assertThat(parse(HEADER + "1,SKU1," + url + "\n").getFirst().inputUrls()).containsExactly(url);
  }

  @Test
  void reportsEveryBadUrlInARow() {
    CsvRejectedException e = reject(HEADER + "1,SKU1,\"ftp://a,http://ok.jpg,b.jpg\"\n");

    assertThat(e.errors())
        .extracting(CsvError::message)
        .containsExactly("URL \"ftp://a\" is not http(s)", "URL \"b.jpg\" is not absolute");
  }

  @Test
  void collectsAllErrorsOfAllRowsAndRejectsTheWholeUpload() {
    String csv =
        HEADER + "1,SKU1,http://a.jpg\n" + "x,,\n" + "3,SKU3,http://c.jpg\n" + "1,SKU4,ftp://d\n";

    assertThat(reject(csv).errors())
        .containsExactly(
            new CsvError(3, "S. No.", "serial number \"x\" is not a positive integer"),
            new CsvError(3, "Product Name", "empty product name"),
            new CsvError(3, "Input Image Urls", "no image URL"),
            new CsvError(5, "S. No.", "duplicate serial number 1 (first on line 2)"),
            new CsvError(5, "Input Image Urls", "URL \"ftp://d\" is not http(s)"));
  }

  @Test
  void stopsCollectingAtMaxErrors() {
    String csv = HEADER + "x,A,http://a.jpg\n".repeat(20);

    CsvRejectedException e = reject(limits(1_000_000, 100, 50, 3), utf8(csv));

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.INVALID);
    assertThat(e.errors()).extracting(CsvError::line).containsExactly(2, 3, 4);
  }

  @Test
  void rejectsTextAfterAClosingQuote() {
    assertThat(onlyError("1,\"SKU1\"x,http://a.jpg"))
        .isEqualTo(new CsvError(2, null, "unexpected text after closing quote"));
  }

  @Test
  void rejectsAUrlLongerThanTheDatabaseColumnHolds() {
    String url = url(4097);

    assertThat(onlyError("1,SKU1," + url))
        .isEqualTo(
            new CsvError(
                2, "Input Image Urls", "URL " + Quote.of(url) + " is longer than 4096 characters"));
  }

  @Test
  void rejectsATenKilobyteUrl() {
    String url = url(10 * 1024);

    assertThat(onlyError("1,SKU1,\"http://a.example/1.jpg," + url + "\"").message())
        .endsWith(" is longer than 4096 characters");
  }

  @Test
  void acceptsAUrlOfExactlyTheColumnWidth() {
    String url = url(4096);

    assertThat(parse(HEADER + "1,SKU1," + url + "\n").getFirst().inputUrls()).containsExactly(url);
  }

  @Test
  void rejectsAProductNameLongerThanTheDatabaseColumnHolds() {
    assertThat(onlyError("1," + "n".repeat(2001) + ",http://a.example/1.jpg"))
        .isEqualTo(new CsvError(2, "Product Name", "product name is longer than 2000 characters"));
  }

  @Test
  void acceptsAProductNameOfExactlyTheColumnWidthAfterStrippingSpaces() {
    String name = "n".repeat(2000);

    assertThat(
            parse(HEADER + "1,  " + name + "  ,http://a.example/1.jpg\n").getFirst().productName())
        .isEqualTo(name);
  }

  @Test
  void checksTheConfiguredLengthsWhenTheyAreShorter() {
    IntakeProperties props = limits(50_000, 30, 5);
    String csv =
        HEADER + "1,SKU123,http://a.example/1.jpg\n2,SKU1,http://a.example/01234567890.jpg\n";

    assertThat(reject(props, utf8(csv)).errors())
        .containsExactly(
            new CsvError(2, "Product Name", "product name is longer than 5 characters"),
            new CsvError(
                3,
                "Input Image Urls",
                "URL \"http://a.example/01234567890.jpg\" is longer than 30 characters"));
  }

  /** An absolute http URL of exactly {@code length} characters. */
  private static String url(int length) {
    String prefix = "http://a.example/";
    return prefix + "x".repeat(length - prefix.length());
  }

  @Test
  void shortensHugeValuesInMessages() {
    String serial = "x".repeat(10_000);

    assertThat(onlyError(serial + ",A,http://a.jpg").message()).hasSizeLessThan(150);
  }
}
