package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imgpress.PublicUrls;
import io.imgpress.TestUrls;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedUpload;
import io.imgpress.web.StatusResponse.ImageView;
import io.imgpress.web.StatusResponse.ProductView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The staged view: images carry the ids reserved at upload, also on a page of products. Every view
 * shows the request's output and each completed image's quality.
 */
class StatusResponseTest {

  static final Request REQUEST =
      new Request(
          UUID.randomUUID(),
          RequestStatus.PENDING,
          50,
          6,
          0,
          0,
          null,
          Instant.EPOCH,
          Instant.EPOCH,
          0);

  static final JsonMapper JSON = JsonMapper.builder().build();

  static final StagedUpload STAGED =
      new StagedUpload(
          100,
          List.of(
              new NewProduct(1, "a", List.of("http://x/1", "http://x/2")),
              new NewProduct(2, "b", List.of("http://x/3")),
              new NewProduct(3, "c", List.of("http://x/4", "http://x/5", "http://x/6"))));

  @Test
  void everyStagedImageHasItsReservedIdInInputOrder() {
    StatusResponse whole = StatusResponse.staged(REQUEST, STAGED, null);
    assertThat(ids(whole)).containsExactly(100L, 101L, 102L, 103L, 104L, 105L);
    assertThat(whole.totalProducts()).isEqualTo(3);
    assertThat(whole.page()).isNull();
    assertThat(whole.products().get(2).images())
        .extracting(ImageView::inputUrl)
        .containsExactly("http://x/4", "http://x/5", "http://x/6");
  }

  @Test
  void aPageOfStagedProductsCountsIdsFromTheRowsBeforeIt() {
    assertThat(ids(StatusResponse.staged(REQUEST, STAGED, new Paging(1, 1)))).containsExactly(102L);
    StatusResponse last = StatusResponse.staged(REQUEST, STAGED, new Paging(1, 2));
    assertThat(ids(last)).containsExactly(103L, 104L, 105L);
    assertThat(last.totalProducts()).isEqualTo(3);
    assertThat(last.page()).isEqualTo(1);
    assertThat(last.size()).isEqualTo(2);
    assertThat(StatusResponse.staged(REQUEST, STAGED, new Paging(5, 2)).products()).isEmpty();
  }

  @Test
  void aRequestShowsItsFormatQualityAndBoundingBox() {
    Request webp = request(new Output(OutputFormat.WEBP, Output.AUTO_QUALITY, 1600, 0));
    StatusResponse status = StatusResponse.staged(webp, STAGED, null);

    assertThat(status.format()).isEqualTo("webp");
    assertThat(status.quality()).isEqualTo("auto");
    assertThat(status.maxWidth()).isEqualTo(1600);
    assertThat(status.maxHeight()).as("no limit").isNull();
    assertThat(JSON.writeValueAsString(status))
        .contains("\"format\":\"webp\"")
        .contains("\"quality\":\"auto\"")
        .contains("\"maxWidth\":1600")
        .contains("\"maxHeight\":null");

    StatusResponse jpeg = StatusResponse.staged(REQUEST, STAGED, null);
    assertThat(jpeg.format()).isEqualTo("jpeg");
    assertThat(jpeg.maxWidth()).isNull();
    assertThat(JSON.writeValueAsString(jpeg)).contains("\"quality\":50");
  }

  @Test
  void eachImageShowsTheQualityItsOutputWasEncodedAtOnceCompleted() {
    Request avif = request(new Output(OutputFormat.AVIF, Output.AUTO_QUALITY, 0, 0));
    UUID id = avif.id();
    List<Product.Image> images =
        List.of(
            new Product.Image(
                7,
                "http://x/1",
                "/images/" + id + "/7.avif",
                null,
                ImageStatus.COMPLETED,
                null,
                1,
                1000L,
                300L,
                3,
                37),
            new Product.Image(
                8, "http://x/2", null, null, ImageStatus.PROCESSING, null, 1, null, null, 2));
    PublicUrls urls = TestUrls.at("https://imgpress.example.com");

    StatusResponse status =
        StatusResponse.of(avif, List.of(new Product(1, 1, "a", images)), 1, null, urls);

    assertThat(status.products().getFirst().images())
        .extracting(ImageView::outputUrl, ImageView::quality)
        .containsExactly(
            tuple("https://imgpress.example.com/images/" + id + "/7.avif", 37), tuple(null, null));
    assertThat(ProgressEvent.of(avif, images, urls).images())
        .extracting(ProgressEvent.ImageChange::quality)
        .containsExactly(37, null);
    assertThat(StatusResponse.staged(avif, STAGED, null).products())
        .flatExtracting(ProductView::images)
        .extracting(ImageView::quality)
        .containsOnlyNulls();
  }

  private static Request request(Output output) {
    return new Request(
        UUID.randomUUID(),
        RequestStatus.PROCESSING,
        output,
        6,
        0,
        0,
        null,
        Instant.EPOCH,
        Instant.EPOCH,
        0,
        null,
        null);
  }

  private static List<Long> ids(StatusResponse status) {
    return status.products().stream()
        .map(ProductView::images)
        .flatMap(List::stream)
        .map(ImageView::imageId)
        .toList();
  }
}
