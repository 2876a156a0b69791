package io.imgpress.request;

import io.imgpress.request.NewRequest.NewProduct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compact text form of validated rows for staging: one product a line, fields separated by tabs
 * (serial, name, then its URLs). Names are escaped; URLs never contain white space, as the CSV
 * validation refuses it, but are escaped all the same.
 */
public final class StagedRows {

  private StagedRows() {}

  public static String encode(List<NewProduct> products) {
    StringBuilder out = new StringBuilder(products.size() * 128);
    for (NewProduct product : products) {
      out.append(product.serialNumber()).append('\t').append(escape(product.name()));
      for (String url : product.inputUrls()) {
        out.append('\t').append(escape(url));
      }
      out.append('\n');
    }
    return out.toString();
  }

  public static List<NewProduct> decode(String text) {
    List<NewProduct> products = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      List<String> urls =
          Arrays.stream(fields, 2, fields.length).map(StagedRows::unescape).toList();
      products.add(new NewProduct(Long.parseLong(fields[0]), unescape(fields[1]), urls));
    }
    return products;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        out.append(
            switch (next) {
              case 't' -> '\t';
              case 'n' -> '\n';
              case 'r' -> '\r';
              default -> next;
            });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
