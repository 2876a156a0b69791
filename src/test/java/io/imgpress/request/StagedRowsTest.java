package io.imgpress.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.NewRequest.NewProduct;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagedRowsTest {

  @Test
  void roundTripsProductsInOrder() {
    List<NewProduct> products =
        List.of(
            new NewProduct(1, "Shoe", List.of("http://o/a.jpg", "http://o/b.jpg")),
            new NewProduct(999_999_999_999L, "Hat", List.of("http://o/c.jpg")));

    assertThat(StagedRows.decode(StagedRows.encode(products))).isEqualTo(products);
  }

  @Test
  void roundTripsNamesWithTheSeparatorsAndEscapesInThem() {
    List<NewProduct> products =
        List.of(
            new NewProduct(1, "\tleading tab", List.of("http://o/a.jpg")),
            new NewProduct(2, "\\leading backslash", List.of("http://o/b.jpg")),
            new NewProduct(3, "two\nlines\r\nand a\ttab", List.of("http://o/c.jpg")),
            new NewProduct(4, "not an escape: \\t \\n \\\\", List.of("http://o/d.jpg")),
            new NewProduct(5, "trailing backslash\\", List.of("http://o/e.jpg?q=a\\b")),
            new NewProduct(6, "", List.of("http://o/f.jpg")));

    String text = StagedRows.encode(products);

    assertThat(text.lines()).hasSize(products.size());
    assertThat(StagedRows.decode(text)).isEqualTo(products);
  }

  @Test
  void decodesNothingFromNothing() {
    assertThat(StagedRows.decode("")).isEmpty();
    assertThat(StagedRows.encode(List.of())).isEmpty();
  }

  @Test
  void keepsALoneTrailingBackslashWhenDecoding() {
    assertThat(StagedRows.decode("7\tname\\\thttp://o/a.jpg\n"))
        .containsExactly(new NewProduct(7, "name\\", List.of("http://o/a.jpg")));
  }
}
