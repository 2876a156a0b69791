package io.imgpress.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Reads an upload of product image URLs in one streaming pass. The upload is all or nothing: any
 * bad row rejects the whole file, with every problem found (up to the configured maximum), so that
 * no half-imported product list is ever processed.
 */
@Component
public class CsvParser {

  private final IntakeProperties props;

  public CsvParser(IntakeProperties props) {
    this.props = props;
  }

  /**
   * Parses the whole stream (UTF-8, optional BOM) without closing it.
   *
   * @throws CsvRejectedException if the file is invalid or over a limit
   * @throws UncheckedIOException if the stream itself fails
   */
  public List<ParsedRow> parse(InputStream in) throws CsvRejectedException {
    var errors = new ErrorCollector(props.maxErrors());
    var tokenizer =
        new CsvTokenizer(new Utf8Chars(new CappedInputStream(in, props.maxFileSize().toBytes())));
    try {
      return parse(tokenizer, errors);
    } catch (InputTooLargeException e) {
      throw tooLarge(tokenizer.line(), "file is larger than " + format(props.maxFileSize()));
    } catch (CharacterCodingException e) {
      throw errors.fatal(tokenizer.line(), "not valid UTF-8 text");
    } catch (MalformedCsvException e) {
      throw errors.fatal(e.line(), e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<ParsedRow> parse(CsvTokenizer tokenizer, ErrorCollector errors) throws IOException {
    CsvRecord first = nextNonBlank(tokenizer);
    if (first == null) {
      throw errors.fatal(tokenizer.line(), "empty file");
    }
    Header header = Header.read(first, errors);
    if (header == null) {
      throw errors.reject();
    }
    var validator = new RowValidator(header, props, errors);
    List<ParsedRow> rows = new ArrayList<>();
    int count = 0;
    long images = 0;
    for (CsvRecord record; (record = nextNonBlank(tokenizer)) != null; ) {
      if (++count > props.maxRows()) {
        throw tooLarge(record.line(), "more than %d rows".formatted(props.maxRows()));
      }
      ParsedRow row = validator.validate(record);
      if (row != null) {
        rows.add(row);
        // Every image becomes a job and a row in one expansion transaction: the total matters,
        // not just rows times URLs per row.
        images += row.inputUrls().size();
        if (images > props.maxImages()) {
          throw tooLarge(record.line(), "more than %d images".formatted(props.maxImages()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw errors.reject();
    }
    if (rows.isEmpty()) {
      throw errors.fatal(tokenizer.line(), "no data rows");
    }
    return List.copyOf(rows);
  }

  // Blank lines, including Excel's ",," rows, carry no data and are not worth an error.
  private static CsvRecord nextNonBlank(CsvTokenizer tokenizer) throws IOException {
    CsvRecord record = tokenizer.next();
    while (record != null && record.isBlank()) {
      record = tokenizer.next();
    }
    return record;
  }

  private static CsvRejectedException tooLarge(int line, String message) {
    return new CsvRejectedException(
        CsvRejectedException.Reason.TOO_LARGE, List.of(new CsvError(line, null, message)));
  }

  private static String format(DataSize size) {
    long bytes = size.toBytes();
    if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
      return size.toMegabytes() + "MB";
    }
    return bytes % 1024 == 0 ? size.toKilobytes() + "KB" : bytes + " bytes";
  }
}
