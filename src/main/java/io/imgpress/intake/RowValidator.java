package io.imgpress.intake;

import java.util.List;

/**
 * Turns one data record into a {@link ParsedRow}, reporting every problem it has, not just one.
 * Lengths are checked here, against limits no larger than the columns that will hold the values: a
 * value the database cannot store must be refused at upload, not discovered by the job that stores
 * the rows.
 */
final class RowValidator {

  private final Header header;
  private final IntakeProperties limits;
  private final ErrorCollector errors;
  private final SerialNumbers serials = new SerialNumbers();

  RowValidator(Header header, IntakeProperties limits, ErrorCollector errors) {
    this.header = header;
    this.limits = limits;
    this.errors = errors;
  }

  /** The row, or {@code null} if anything in it was wrong (and reported). */
  ParsedRow validate(CsvRecord record) {
    int line = record.line();
    if (record.problem() != null) {
      errors.add(line, null, record.problem());
      return null;
    }
    int before = errors.count();
    Long serial = serials.read(record.field(0), line, errors);
    String productName = record.field(1).strip();
    if (productName.isEmpty()) {
      errors.add(line, Header.PRODUCT, "empty product name");
    } else if (productName.length() > limits.maxProductNameLength()) {
      errors.add(
          line,
          Header.PRODUCT,
          "product name is longer than %d characters".formatted(limits.maxProductNameLength()));
    }
    List<String> urls = urls(record);
    return errors.count() > before ? null : new ParsedRow(line, serial, productName, urls);
  }

  private List<String> urls(CsvRecord record) {
    List<String> urls = ImageUrls.split(urlCell(record));
    int line = record.line();
    if (urls.isEmpty()) {
      errors.add(line, Header.URLS, "no image URL");
    } else if (urls.size() > limits.maxUrlsPerRow()) {
      errors.add(line, Header.URLS, "more than %d image URLs".formatted(limits.maxUrlsPerRow()));
    } else {
      for (String url : urls) {
        String problem = ImageUrls.problem(url, limits.maxUrlLength());
        if (problem != null) {
          errors.add(line, Header.URLS, problem);
        }
      }
    }
    return urls;
  }

  private String urlCell(CsvRecord record) {
    List<String> fields = record.fields();
    if (header.namedExtraColumns() || fields.size() <= 3) {
      return record.field(2);
    }
    return String.join(",", fields.subList(2, fields.size()));
  }
}
