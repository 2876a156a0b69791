package io.imgpress.intake;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header row. Names are compared without case, spaces and punctuation because spreadsheets and
 * hand-written files spell them every which way ("S. No.", "S.No", "SNo").
 *
 * @param namedExtraColumns whether columns follow the three known ones; without them, an unquoted
 *     URL list may run over the trailing columns, as in the assignment's samples
 */
record Header(boolean namedExtraColumns) {

  static final String SERIAL = "S. No.";
  static final String PRODUCT = "Product Name";
  static final String URLS = "Input Image Urls";

  private static final List<String> COLUMNS = List.of(SERIAL, PRODUCT, URLS);
  private static final List<Set<String>> ACCEPTED =
      List.of(
          Set.of("sno", "serialno", "serialnumber"),
          Set.of("productname"),
          Set.of("inputimageurls", "inputimageurl"));

  /** The header, or {@code null} after reporting why the record is not one. */
  static Header read(CsvRecord record, ErrorCollector errors) {
    int before = errors.count();
    for (int i = 0; i < COLUMNS.size(); i++) {
      String found = record.field(i);
      if (found.isBlank()) {
        errors.add(
            record.line(), COLUMNS.get(i), "missing column \"%s\"".formatted(COLUMNS.get(i)));
      } else if (!ACCEPTED.get(i).contains(normalize(found))) {
        errors.add(
            record.line(),
            COLUMNS.get(i),
            "expected column \"%s\" but found %s".formatted(COLUMNS.get(i), Quote.of(found)));
      }
    }
    if (errors.count() > before) {
      return null;
    }
    List<String> rest = record.fields().subList(COLUMNS.size(), record.fields().size());
    return new Header(rest.stream().anyMatch(name -> !name.isBlank()));
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }
}
