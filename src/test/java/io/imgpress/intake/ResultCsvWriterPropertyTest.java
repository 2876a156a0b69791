package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests of the result CSV with generated cells: JUnit parameterized tests rather than
 * jqwik, whose releases run on JUnit Platform 1 while this build is on JUnit 6. Each property runs
 * {@value #TRIES} generated rows from a fixed seed, so a failure names its input and repeats.
 */
class ResultCsvWriterPropertyTest {

  static final int TRIES = 1000;
  private static final long SEED = 0x13C5_F00DL;

  /** The oracle, written apart from the writer: optional blanks, then a trigger. */
  private static final Pattern FORMULA_LIKE =
      Pattern.compile(
          "^[\\p{javaWhitespace}\\p{javaSpaceChar}\\p{Cc}\\p{Cf}]*[=+\\-@\\t\\r\\n\\x00]");

  private static final String[] TRIGGERS = {"=", "+", "-", "@", "\t", "\r", "\n", "\0"};
  private static final String[] BLANKS = {
    " ", "\u00a0", "\u2007", "\u202f", "\u3000", "\u200b", "\ufeff", "\u2028", "\t", "\n", "\r"
  };
  private static final String[] TEXT = {
    "a",
    "Z",
    "7",
    "\"",
    "'",
    ",",
    ";",
    "|",
    "\"\"",
    "é",
    "漢",
    "ß",
    "😀",
    "\u05d0",
    "\u202e",
    "=",
    "+",
    "-",
    "@",
    "(",
    ")",
    "http://x/y.jpg?a=1&b=-2",
    "=HYPERLINK(\"http://evil\")"
  };

  /**
   * Any cell, any column: the written CSV reads back (strict RFC 4180) as exactly the original
   * cells, each with {@code '} in front when it could start a formula, and no cell read back starts
   * a formula.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("anyRows")
  void everyCellReadsBackAsTheOriginalOrQuotedAndNeverAsAFormula(Row row) throws Exception {
    StringWriter written = new StringWriter();
    ResultCsvWriter.write(List.of(row.product()), row::output, written);
    List<List<String>> read = Rfc4180.read(written.toString());

    assertThat(read).hasSize(2);
    assertThat(read.get(1))
        .containsExactly(
            Long.toString(row.serial()),
            expected(row.name()),
            expected(String.join(",", row.inputs())),
            expected(String.join(",", row.outputs())));
    assertThat(read.get(1)).noneMatch(cell -> FORMULA_LIKE.matcher(cell).find());

    StringWriter unexpanded = new StringWriter();
    ResultCsvWriter.writeWithoutOutputs(
        List.of(new NewProduct(row.serial(), row.name(), row.inputs())), unexpanded);
    assertThat(Rfc4180.read(unexpanded.toString()).get(1))
        .containsExactly(
            Long.toString(row.serial()),
            expected(row.name()),
            expected(String.join(",", row.inputs())),
            ",".repeat(row.inputs().size() - 1))
        .noneMatch(cell -> FORMULA_LIKE.matcher(cell).find());
  }

  /**
   * Cells the upload tokenizer can carry (no control characters but tab and line feed): the
   * project's own {@link CsvTokenizer} reads the result CSV back the same way, so a result CSV can
   * be uploaded again, and neutralising twice changes nothing.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("uploadableRows")
  void theUploadTokenizerReadsTheResultBack(Row row) throws Exception {
    StringWriter written = new StringWriter();
    ResultCsvWriter.write(List.of(row.product()), row::output, written);
    CsvTokenizer tokenizer =
        new CsvTokenizer(
            new Utf8Chars(
                new ByteArrayInputStream(written.toString().getBytes(StandardCharsets.UTF_8))));

    assertThat(tokenizer.next().fields()).containsExactly(ResultCsvWriter.HEADER.split(","));
    CsvRecord record = tokenizer.next();
    assertThat(record.problem()).isNull();
    assertThat(record.fields())
        .containsExactly(
            Long.toString(row.serial()),
            expected(row.name()),
            expected(String.join(",", row.inputs())),
            expected(String.join(",", row.outputs())));
    assertThat(tokenizer.next()).isNull();
    assertThat(ResultCsvWriter.neutralise(ResultCsvWriter.neutralise(row.name())))
        .isEqualTo(ResultCsvWriter.neutralise(row.name()));
  }

  private static String expected(String original) {
    return FORMULA_LIKE.matcher(original).find() ? "'" + original : original;
  }

  static Stream<Arguments> anyRows() {
    Random random = new Random(SEED);
    return IntStream.range(0, TRIES).mapToObj(i -> Arguments.of(row(random, true)));
  }

  static Stream<Arguments> uploadableRows() {
    Random random = new Random(SEED + 1);
    return IntStream.range(0, TRIES).mapToObj(i -> Arguments.of(row(random, false)));
  }

  private static Row row(Random random, boolean anyChar) {
    int images = 1 + random.nextInt(3);
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      inputs.add(cell(random, anyChar));
      // About a third of the images failed: their output place is empty.
      outputs.add(random.nextInt(3) == 0 ? "" : cell(random, anyChar));
    }
    return new Row(1 + random.nextInt(100_000), cell(random, anyChar), inputs, outputs);
  }

  /** Half the cells start with a trigger, some behind blanks; the rest is any mix. */
  private static String cell(Random random, boolean anyChar) {
    StringBuilder cell = new StringBuilder();
    int shape = random.nextInt(4);
    if (shape == 0) {
      cell.append(pick(random, TRIGGERS));
    } else if (shape == 1) {
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        cell.append(pick(random, BLANKS));
      }
      cell.append(pick(random, TRIGGERS));
    }
    for (int n = random.nextInt(12); n > 0; n--) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        cell.append(pick(random, TEXT));
      } else if (kind < 8) {
        cell.append(pick(random, BLANKS));
      } else if (kind == 8) {
        cell.append(pick(random, TRIGGERS));
      } else {
        // Any code point outside the surrogate range: the whole of Unicode, controls included.
        int cp;
        do {
          cp = random.nextInt(Character.MAX_CODE_POINT + 1);
        } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
        cell.appendCodePoint(cp);
      }
    }
    String text = cell.toString();
    return anyChar ? text : uploadable(text);
  }

  /**
   * What the upload tokenizer accepts in a field: no CR (it folds line ends), no other controls.
   */
  private static String uploadable(String text) {
    StringBuilder kept = new StringBuilder();
    text.codePoints()
        .filter(cp -> cp == '\t' || cp == '\n' || !Character.isISOControl(cp))
        .forEach(kept::appendCodePoint);
    return kept.toString();
  }

  private static String pick(Random random, String[] from) {
    return from[random.nextInt(from.length)];
  }

  record Row(long serial, String name, List<String> inputs, List<String> outputs) {

    Product product() {
      List<Product.Image> images = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        boolean done = !outputs.get(i).isEmpty();
        images.add(
            new Product.Image(
                i,
                inputs.get(i),
                done ? "#" + i : null,
                null,
                done ? ImageStatus.COMPLETED : ImageStatus.FAILED,
                null,
                1,
                null,
                null,
                1));
      }
      return new Product(1, serial, name, images);
    }

    /** The writer's absolute-URL function: the generated output of each completed image. */
    String output(String path) {
      return outputs.get(Integer.parseInt(path.substring(1)));
    }

    @Override
    public String toString() {
      return List.of(
              Long.toString(serial), name, String.join(",", inputs), String.join(",", outputs))
          .stream()
          .map(ResultCsvWriterPropertyTest::visible)
          .toList()
          .toString();
    }
  }

  /** Escapes controls and invisibles so a failing input is readable in the report. */
  static String visible(String text) {
    StringBuilder shown = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f || Character.getType(cp) == Character.FORMAT) {
                shown.append("\\u%04x".formatted(cp));
              } else {
                shown.appendCodePoint(cp);
              }
            });
    return shown.toString();
  }

  /** A strict RFC 4180 reader: CRLF record ends, quoted fields keep every character as it is. */
  static final class Rfc4180 {

    static List<List<String>> read(String csv) {
      List<List<String>> records = new ArrayList<>();
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      int i = 0;
      while (i < csv.length()) {
        if (csv.charAt(i) == '"') {
          i++;
          while (true) {
            char c = csv.charAt(i++);
            if (c == '"') {
              if (i < csv.length() && csv.charAt(i) == '"') {
                field.append('"');
                i++;
              } else {
                break;
              }
            } else {
              field.append(c);
            }
          }
        } else {
          while (i < csv.length() && csv.charAt(i) != ',' && csv.charAt(i) != '\r') {
            char c = csv.charAt(i++);
            if (c == '"' || c == '\n') {
              throw new IllegalArgumentException("bare " + visible(String.valueOf(c)) + " at " + i);
            }
            field.append(c);
          }
        }
        fields.add(field.toString());
        field.setLength(0);
        if (csv.startsWith("\r\n", i)) {
          records.add(fields);
          fields = new ArrayList<>();
          i += 2;
        } else if (i < csv.length() && csv.charAt(i) == ',') {
          i++;
        } else {
          throw new IllegalArgumentException("expected , or CRLF at " + i);
        }
      }
      if (!fields.isEmpty()) {
        throw new IllegalArgumentException("last record has no CRLF");
      }
      return records;
    }
  }
}
