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
 */
public final class ResultCsvWriter {

  static final String HEADER = "S. No.,Product Name,Input Image Urls,Output Image Urls";

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
      out.write(Long.toString(product.serialNumber()));
      out.write(',');
      out.write(quote(product.name()));
      out.write(',');
      out.write(quote(String.join(",", inputs)));
      out.write(',');
      out.write(quote(String.join(",", outputs)));
      out.write("\r\n");
    }
  }

  /** The result CSV of rows that never became images: every output place is empty. */
  public static void writeWithoutOutputs(List<NewProduct> rows, Writer out) throws IOException {
    out.write(HEADER);
    out.write("\r\n");
    for (NewProduct row : rows) {
      out.write(Long.toString(row.serialNumber()));
      out.write(',');
      out.write(quote(row.name()));
      out.write(',');
      out.write(quote(String.join(",", row.inputUrls())));
      out.write(',');
      out.write(quote(",".repeat(row.inputUrls().size() - 1)));
      out.write("\r\n");
    }
  }

  static String quote(String field) {
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
