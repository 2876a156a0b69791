package io.imgpress.intake;

import java.util.List;

/**
 * One valid data row of an upload. {@code line} is where the record starts in the file, so later
 * errors about this product can still point the client at the right place.
 */
public record ParsedRow(int line, long serialNumber, String productName, List<String> inputUrls) {

  public ParsedRow {
    inputUrls = List.copyOf(inputUrls);
  }
}
