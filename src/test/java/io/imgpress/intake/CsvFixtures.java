package io.imgpress.intake;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.util.unit.DataSize;

/** Shorthands shared by the intake tests. */
final class CsvFixtures {

  static final String HEADER = "S. No.,Product Name,Input Image Urls\n";

  private CsvFixtures() {}

  static List<ParsedRow> parse(String csv) {
    return new CsvParser(IntakeProperties.defaults()).parse(utf8(csv));
  }

  static CsvRejectedException reject(String csv) {
    return reject(IntakeProperties.defaults(), utf8(csv));
  }

  static CsvRejectedException reject(IntakeProperties props, InputStream in) {
    CsvRejectedException e =
        catchThrowableOfType(CsvRejectedException.class, () -> new CsvParser(props).parse(in));
    if (e == null) {
      throw new AssertionError("expected the upload to be rejected");
    }
    return e;
  }

  static InputStream utf8(String csv) {
    return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
  }

  static InputStream bytes(byte[]... parts) {
    var all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return new ByteArrayInputStream(all.toByteArray());
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static IntakeProperties limits(long maxFileBytes, int maxRows, int maxUrlsPerRow, int maxErrors) {
    IntakeProperties d = IntakeProperties.defaults();
    return new IntakeProperties(
        DataSize.ofBytes(maxFileBytes),
        maxRows,
        maxUrlsPerRow,
        d.maxImages(),
        d.maxUrlLength(),
        d.maxProductNameLength(),
        maxErrors,
        d.maxAttempts(),
        d.initialBackoff(),
        d.maxBackoff());
  }

  /** The defaults with other limits on images and on lengths. */
  static IntakeProperties limits(int maxImages, int maxUrlLength, int maxProductNameLength) {
    IntakeProperties d = IntakeProperties.defaults();
    return new IntakeProperties(
        d.maxFileSize(),
        d.maxRows(),
        d.maxUrlsPerRow(),
        maxImages,
        maxUrlLength,
        maxProductNameLength,
        d.maxErrors(),
        d.maxAttempts(),
        d.initialBackoff(),
        d.maxBackoff());
  }
}
