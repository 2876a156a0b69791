package io.imgpress.intake;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the result CSV: the input columns plus {@code Output Image Urls}, one row per product in
 * input order, outputs in the order of their inputs; a failed image leaves its place empty.
 *
 * <p>The file is safe to open in a spreadsheet (OWASP CSV Injection): every text field is quoted
 * with {@code ""} escapes, and a cell that a spreadsheet could read as a formula is written with a
 * single quote ({@code '}) in front. That is a cell whose first character is {@code =}, {@code +},
 * {@code -}, {@code @}, tab, carriage return, line feed or NUL, or whose first character after
 * leading whitespace or invisible characters is one of those (some spreadsheets skip leading
 * blanks). Nothing else is changed: a CSV reader gets the original text, or {@code '} plus the
 * original text; a product name {@code =HYPERLINK("http://evil")} comes back as {@code
 * '=HYPERLINK("http://evil")} and shows as text. The rule applies to every column, the serial
 * number and the URL columns too (a multi-URL cell starts with its first URL); a value that already
 * starts with {@code '} is left as it is, so a result CSV uploaded again does not grow a second
 * quote.
 */
public final class ResultCsvWriter {

  static final String HEADER = "S. No.,Product Name,Input Image Urls,Output Image Urls";

  /** OWASP's list plus NUL (OWASP ASVS 1.2.10): a cell starting with one may become a formula. */
  private static final String TRIGGERS = "=+-@\t\r\n\0";

  private ResultCsvWriter() {}

  public static void write(List<Product> products, Function<String, String> absoluteUrl, Writer out)
      throws IOException {
    out.write(HEADER);
    out.write("\r\n");
    for (Product product : products) {
      List<String> inputs = product.images().stream().map(Product.Image::inputUrl).toList();
      List<String> outputs =
          product.images().stream()
              .map(
                  i -> i.status() == ImageStatus.COMPLETED ? absoluteUrl.apply(i.outputPath()) : "")
              .toList();
      out.write(number(product.serialNumber()));
      out.write(',');
      out.write(cell(product.name()));
      out.write(',');
      out.write(cell(String.join(",", inputs)));
      out.write(',');
      out.write(cell(String.join(",", outputs)));
      out.write("\r\n");
    }
  }

  /** The result CSV of rows that never became images: every output place is empty. */
  public static void writeWithoutOutputs(List<NewProduct> rows, Writer out) throws IOException {
    out.write(HEADER);
    out.write("\r\n");
    for (NewProduct row : rows) {
      out.write(number(row.serialNumber()));
      out.write(',');
      out.write(cell(row.name()));
      out.write(',');
      out.write(cell(String.join(",", row.inputUrls())));
      out.write(',');
      out.write(cell(",".repeat(row.inputUrls().size() - 1)));
      out.write("\r\n");
    }
  }

  /** A quoted text field, neutralised. */
  static String cell(String value) {
    return quote(neutralise(value));
  }

  /**
   * Serial numbers are positive after intake and stay bare digits; a negative one would start with
   * {@code -}, so it is treated as any other cell.
   */
  private static String number(long value) {
    String text = Long.toString(value);
    return formulaLike(text) ? cell(text) : text;
  }

  /** The value, with {@code '} in front if a spreadsheet could read it as a formula. */
  static String neutralise(String value) {
    return formulaLike(value) ? "'" + value : value;
  }

  static boolean formulaLike(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (TRIGGERS.indexOf(c) >= 0) {
        return true;
      }
      if (!blank(c)) {
        return false;
      }
    }
    return false;
  }

  /** Characters a spreadsheet may skip before deciding what a cell is: spaces and invisibles. */
  private static boolean blank(char c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT;
  }

  static String quote(String field) {
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
