package io.imgpress.intake;

import java.util.List;

/** Turns one data record into a {@link ParsedRow}, reporting every problem it has, not just one. */
final class RowValidator {

  private final Header header;
  private final int maxUrlsPerRow;
  private final ErrorCollector errors;
  private final SerialNumbers serials = new SerialNumbers();

  RowValidator(Header header, int maxUrlsPerRow, ErrorCollector errors) {
    this.header = header;
    this.maxUrlsPerRow = maxUrlsPerRow;
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
    }
    List<String> urls = urls(record);
    return errors.count() > before ? null : new ParsedRow(line, serial, productName, urls);
  }

  private List<String> urls(CsvRecord record) {
    List<String> urls = ImageUrls.split(urlCell(record));
    int line = record.line();
    if (urls.isEmpty()) {
      errors.add(line, Header.URLS, "no image URL");
    } else if (urls.size() > maxUrlsPerRow) {
      errors.add(line, Header.URLS, "more than %d image URLs".formatted(maxUrlsPerRow));
    } else {
      for (String url : urls) {
        String problem = ImageUrls.problem(url);
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
