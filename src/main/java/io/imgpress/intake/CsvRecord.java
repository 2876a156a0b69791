package io.imgpress.intake;

import java.util.List;

/**
 * One RFC 4180 record as it appears in the file.
 *
 * @param line where the record starts; quoted newlines make it span more lines
 * @param problem a syntax slip that did not stop tokenizing, or {@code null}
 */
record CsvRecord(int line, List<String> fields, String problem) {

  String field(int index) {
    return index < fields.size() ? fields.get(index) : "";
  }

  boolean isBlank() {
    return problem == null && fields.stream().allMatch(String::isBlank);
  }
}
