package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.limits;
import static io.imgpress.intake.CsvFixtures.reject;
import static io.imgpress.intake.CsvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvLimitsTest {

  private static String rows(int count) {
    var csv = new StringBuilder(HEADER);
    for (int i = 1; i <= count; i++) {
      csv.append(i)
          .append(",SKU")
          .append(i)
          .append(",http://a.example/")
          .append(i)
          .append(".jpg\n");
    }
    return csv.toString();
  }

  @Test
  void acceptsExactlyMaxRows() {
    assertThat(new CsvParser(limits(1_000_000, 3, 50, 100)).parse(utf8(rows(3)))).hasSize(3);
  }

  @Test
  void rejectsMoreThanMaxRowsAsTooLarge() {
    CsvRejectedException e = reject(limits(1_000_000, 3, 50, 100), utf8(rows(4)));

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
    assertThat(e.errors()).containsExactly(new CsvError(5, null, "more than 3 rows"));
  }

  @Test
  void defaultRowLimitIsTenThousand() {
    CsvRejectedException e = reject(rows(10_001));

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
    assertThat(e.errors()).extracting(CsvError::message).containsExactly("more than 10000 rows");
  }

  @Test
  void rejectsTooManyUrlsInARowAsInvalid() {
    String csv =
        HEADER + "1,A,http://a.jpg,http://b.jpg\n2,B,http://a.jpg,http://b.jpg,http://c.jpg\n";

    CsvRejectedException e = reject(limits(1_000_000, 100, 2, 100), utf8(csv));

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.INVALID);
    assertThat(e.errors())
        .containsExactly(new CsvError(3, "Input Image Urls", "more than 2 image URLs"));
  }

  @Test
  void defaultImageLimitIsFiftyThousandCountedOverTheWholeFile() {
    var csv = new StringBuilder(HEADER);
    for (int i = 1; i <= 1000; i++) {
      csv.append(i).append(",SKU").append(i).append(",\"");
      for (int u = 0; u < 50; u++) {
        csv.append(u == 0 ? "" : ",").append("http://a.example/").append(i).append('/').append(u);
      }
      csv.append("\"\n");
    }
    assertThat(new CsvParser(IntakeProperties.defaults()).parse(utf8(csv.toString())))
        .as("exactly 50,000 images")
        .hasSize(1000);

    csv.append("1001,SKU1001,http://a.example/last.jpg\n");
    CsvRejectedException e = reject(csv.toString());

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
    assertThat(e.errors()).containsExactly(new CsvError(1002, null, "more than 50000 images"));
  }

  @Test
  void countsImagesOverAllRowsAgainstTheConfiguredLimit() {
    String csv =
        HEADER
            + "1,A,\"http://a.example/1,http://a.example/2\"\n"
            + "2,B,http://a.example/3\n"
            + "3,C,\"http://a.example/4,http://a.example/5\"\n";

    assertThat(new CsvParser(limits(5, 4096, 2000)).parse(utf8(csv))).hasSize(3);
    CsvRejectedException e = reject(limits(4, 4096, 2000), utf8(csv));

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
    assertThat(e.errors()).containsExactly(new CsvError(4, null, "more than 4 images"));
  }

  @Test
  void acceptsAFileOfExactlyMaxFileSize() {
    byte[] csv = rows(2).getBytes(StandardCharsets.UTF_8);

    assertThat(new CsvParser(limits(csv.length, 100, 50, 100)).parse(utf8(rows(2)))).hasSize(2);
  }

  @Test
  void rejectsOneByteMoreThanMaxFileSizeAsTooLarge() {
    byte[] csv = rows(2).getBytes(StandardCharsets.UTF_8);

    CsvRejectedException e = reject(limits(csv.length - 1, 100, 50, 100), utf8(rows(2)));

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
    assertThat(e.errors())
        .extracting(CsvError::message)
        .containsExactly("file is larger than " + (csv.length - 1) + " bytes");
  }

  @Test
  void countsBytesNotChars() {
    String csv = HEADER + "1," + "é".repeat(100) + ",http://a.jpg\n";

    assertThat(reject(limits(HEADER.length() + 150, 100, 50, 100), utf8(csv)).reason())
        .isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
  }

  @Test
  void neverReadsMoreThanOneBytePastTheCap() {
    var endless = new EndlessCsv(10);

    CsvRejectedException e = reject(limits(10_000, 1_000_000, 50, 100), endless);

    assertThat(e.reason()).isEqualTo(CsvRejectedException.Reason.TOO_LARGE);
    assertThat(endless.bytesRead).isEqualTo(10_001);
  }

  @ParameterizedTest
  @CsvSource({"1024, 1KB", "3072, 3KB", "1500, 1500 bytes", "1048576, 1MB"})
  void statesTheSizeLimitInTheLargestWholeUnit(long maxBytes, String shown) {
    CsvRejectedException e = reject(limits(maxBytes, 1_000_000, 50, 100), new EndlessCsv(10));

    assertThat(e.errors())
        .extracting(CsvError::message)
        .containsExactly("file is larger than " + shown);
  }

  @Test
  void statesTheDefaultSizeLimitInMegabytes() {
    CsvRejectedException e = reject(IntakeProperties.defaults(), new EndlessCsv(2_000));

    assertThat(e.errors())
        .extracting(CsvError::message)
        .containsExactly("file is larger than 10MB");
  }

  /** A valid CSV that never ends, counting what the parser pulled from it. */
  private static final class EndlessCsv extends InputStream {

    private final String productName;
    private byte[] chunk = HEADER.getBytes(StandardCharsets.UTF_8);
    private int position;
    private int serial;
    private long bytesRead;

    EndlessCsv(int productNameLength) {
      productName = "x".repeat(productNameLength);
    }

    @Override
    public int read() {
      if (position == chunk.length) {
        String row = ++serial + "," + productName + ",http://a.jpg\n";
        chunk = row.getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      bytesRead++;
      return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      for (int i = 0; i < length; i++) {
        buffer[offset + i] = (byte) read();
      }
      return length;
    }
  }
}
