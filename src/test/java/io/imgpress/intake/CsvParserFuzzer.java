package io.imgpress.intake;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * Fuzz target (see fuzz/run.sh): a whole upload through {@link CsvParser}. The only way an upload
 * may fail is a {@link CsvRejectedException} (a 400 or 413 with the problems found); anything else
 * thrown is a finding, as it would reach the client as a 500. Small limits, so that the fuzzer
 * reaches every limit's check with short inputs.
 */
public final class CsvParserFuzzer {

  static final CsvParser PARSER =
      new CsvParser(
          new IntakeProperties(
              DataSize.ofKilobytes(4),
              20,
              5,
              40,
              200,
              100,
              5,
              3,
              Duration.ofSeconds(1),
              Duration.ofSeconds(10)));

  private CsvParserFuzzer() {}

  public static void fuzzerTestOneInput(byte[] data) {
    try {
      for (ParsedRow row : PARSER.parse(new ByteArrayInputStream(data))) {
        for (String url : row.inputUrls()) {
          // What was accepted must pass the same check again: no URL slips past it.
          String problem = ImageUrls.problem(url, 200);
          if (problem != null) {
            throw new IllegalStateException("accepted, yet " + problem);
          }
        }
      }
    } catch (CsvRejectedException expected) {
      if (expected.getMessage() == null) {
        throw new IllegalStateException("a rejection without a message", expected);
      }
    }
  }
}
