package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedUpload;
import io.imgpress.web.StatusResponse.ImageView;
import io.imgpress.web.StatusResponse.ProductView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The staged view: images carry the ids reserved at upload, also on a page of products. */
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

  private static List<Long> ids(StatusResponse status) {
    return status.products().stream()
        .map(ProductView::images)
        .flatMap(List::stream)
        .map(ImageView::imageId)
        .toList();
  }
}
