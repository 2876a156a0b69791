package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvPerformanceTest {

  @Test
  void parsesTenThousandRowsWithThreeUrlsEach() {
    var csv = new StringBuilder(CsvFixtures.HEADER);
    for (int i = 1; i <= 10_000; i++) {
      csv.append(i).append(",SKU").append(i).append(",\"");
      for (int u = 1; u <= 3; u++) {
        csv.append(u > 1 ? "," : "").append("https://images.example.com/p/").append(i);
        csv.append("/photo-").append(u).append(".jpg");
      }
      csv.append("\"\r\n");
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    var parser = new CsvParser(IntakeProperties.defaults());

    long start = System.nanoTime();
    List<ParsedRow> rows = parser.parse(new ByteArrayInputStream(bytes));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    // Printed, not asserted: timing on a shared machine is no pass/fail signal.
    System.out.printf("parsed %d rows (%d bytes) in %d ms%n", rows.size(), bytes.length, elapsedMs);
    assertThat(rows).hasSize(10_000);
    assertThat(rows.getLast())
        .isEqualTo(
            new ParsedRow(
                10_001,
                10_000,
                "SKU10000",
                List.of(
                    "https://images.example.com/p/10000/photo-1.jpg",
                    "https://images.example.com/p/10000/photo-2.jpg",
                    "https://images.example.com/p/10000/photo-3.jpg")));
  }
}
