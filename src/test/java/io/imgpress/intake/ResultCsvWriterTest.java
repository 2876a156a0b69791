package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultCsvWriterTest {

  @Test
  void addsOutputUrlsInInputOrderLeavingFailedPlacesEmpty() throws Exception {
    List<Product> products =
        List.of(
            new Product(
                1,
                1,
                "SKU \"one\"",
                List.of(
                    image(10, "http://a/1.jpg", "/images/r/10.jpg", ImageStatus.COMPLETED),
                    image(11, "http://a/2.jpg", null, ImageStatus.FAILED),
                    image(12, "http://a/3.jpg", "/images/r/12.jpg", ImageStatus.COMPLETED))),
            new Product(
                2, 2, "SKU2", List.of(image(13, "http://b/1.jpg", null, ImageStatus.FAILED))));
    StringWriter out = new StringWriter();
    ResultCsvWriter.write(products, p -> "https://cdn.test" + p, out);

    assertThat(out.toString())
        .isEqualTo(
            "S. No.,Product Name,Input Image Urls,Output Image Urls\r\n"
                + "1,\"SKU \"\"one\"\"\",\"http://a/1.jpg,http://a/2.jpg,http://a/3.jpg\","
                + "\"https://cdn.test/images/r/10.jpg,,https://cdn.test/images/r/12.jpg\"\r\n"
                + "2,\"SKU2\",\"http://b/1.jpg\",\"\"\r\n");
  }

  @Test
  void rowsThatNeverBecameImagesHaveEveryOutputPlaceEmpty() throws Exception {
    StringWriter out = new StringWriter();
    ResultCsvWriter.writeWithoutOutputs(
        List.of(
            new NewProduct(1, "SKU \"one\"", List.of("http://a/1.jpg", "http://a/2.jpg")),
            new NewProduct(2, "SKU2", List.of("http://b/1.jpg"))),
        out);

    assertThat(out.toString())
        .isEqualTo(
            "S. No.,Product Name,Input Image Urls,Output Image Urls\r\n"
                + "1,\"SKU \"\"one\"\"\",\"http://a/1.jpg,http://a/2.jpg\",\",\"\r\n"
                + "2,\"SKU2\",\"http://b/1.jpg\",\"\"\r\n");
  }

  @Test
  void productNameThatIsAFormulaGoesBackAsTextWithALeadingQuote() throws Exception {
    StringWriter out = new StringWriter();
    ResultCsvWriter.write(
        List.of(
            new Product(
                1,
                1,
                "=HYPERLINK(\"http://evil\")",
                List.of(image(10, "http://a/1.jpg", "/images/r/10.jpg", ImageStatus.COMPLETED)))),
        p -> "https://cdn.test" + p,
        out);

    assertThat(out.toString())
        .isEqualTo(
            "S. No.,Product Name,Input Image Urls,Output Image Urls\r\n"
                + "1,\"'=HYPERLINK(\"\"http://evil\"\")\",\"http://a/1.jpg\","
                + "\"https://cdn.test/images/r/10.jpg\"\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "=1+2",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\nx",
        "\0x",
        " =1+2",
        "\u00a0@x",
        "\u200b-x"
      })
  void everyColumnOfBothWritersNeutralisesFormulaTriggers(String hostile) throws Exception {
    StringWriter written = new StringWriter();
    ResultCsvWriter.write(
        List.of(
            new Product(
                1, -7, hostile, List.of(image(10, hostile, "/o.jpg", ImageStatus.COMPLETED)))),
        p -> hostile,
        written);
    StringWriter unexpanded = new StringWriter();
    ResultCsvWriter.writeWithoutOutputs(
        List.of(new NewProduct(-7, hostile, List.of(hostile))), unexpanded);

    String neutral = "\"'" + hostile + "\"";
    assertThat(written.toString())
        .endsWith("\r\n\"'-7\"," + neutral + "," + neutral + "," + neutral + "\r\n");
    assertThat(unexpanded.toString())
        .endsWith("\r\n\"'-7\"," + neutral + "," + neutral + ",\"\"\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SKU-1", "a=b", "'=already neutral", " x", "", "1+1"})
  void cellsThatCannotStartAFormulaAreWrittenAsTheyAre(String safe) throws Exception {
    StringWriter out = new StringWriter();
    ResultCsvWriter.writeWithoutOutputs(List.of(new NewProduct(3, safe, List.of(safe))), out);

    assertThat(out.toString()).endsWith("\r\n3,\"" + safe + "\",\"" + safe + "\",\"\"\r\n");
  }

  private static Product.Image image(long id, String in, String out, ImageStatus status) {
    return new Product.Image(id, in, out, null, status, null, 1, null, null, 1);
  }
}
