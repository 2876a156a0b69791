package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Whatever the default limits let through, the real schema stores: an upload with every value at
 * its limit is accepted and then expanded into products and images without an error.
 */
class CsvLimitsFitTheSchemaTest {

  @Test
  void anUploadAtEveryLimitIsStoredAndExpanded() {
    IntakeProperties limits = IntakeProperties.defaults();
    String prefix = "http://a.example/";
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < limits.maxUrlsPerRow(); i++) {
      String path = i + "/";
      urls.add(prefix + path + "x".repeat(limits.maxUrlLength() - prefix.length() - path.length()));
    }
    String euros = "€".repeat(limits.maxProductNameLength());
    String emoji = "😀".repeat(limits.maxProductNameLength() / 2);
    String csv =
        HEADER
            + "999999999999999999,%s,\"%s\"\n".formatted(euros, String.join(",", urls))
            + "2,%s,%s\n".formatted(emoji, urls.getFirst());

    List<ParsedRow> rows = new CsvParser(limits).parse(utf8(csv));
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            "https://hooks.example/" + "h".repeat(WebhookUrlCheck.MAX_LENGTH - 22),
            rows.stream()
                .map(r -> new NewProduct(r.serialNumber(), r.productName(), r.inputUrls()))
                .toList());
    RequestRepository requests = JdbcStores.requests(TestDatabase.h2(), new MutableClock());
    requests.stage(request);

    assertThat(requests.expand(request.id()).orElseThrow()).hasSize(limits.maxUrlsPerRow() + 1);
    List<Product> products = requests.products(request.id());
    assertThat(products.getFirst().serialNumber()).isEqualTo(999_999_999_999_999_999L);
    assertThat(products.getFirst().name()).isEqualTo(euros);
    assertThat(products.get(1).name()).isEqualTo(emoji);
    assertThat(products.getFirst().images())
        .extracting(Product.Image::inputUrl)
        .containsExactlyElementsOf(urls);
  }
}
