package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /requests}: one page of requests, newest first, without their products. */
@Schema(name = "RequestPage", description = "One page of requests, newest first")
record RequestListResponse(List<Item> items, int page, int size, boolean hasMore) {

  @Schema(name = "RequestSummary", description = "A request without its products")
  record Item(
      @Schema(example = ApiExamples.REQUEST_ID) UUID requestId,
      RequestStatus status,
      int totalImages,
      int processedImages,
      int failedImages,
      Instant createdAt,
      Instant updatedAt,
      String statusUrl,
      String csvUrl) {

    static Item of(Request r, PublicUrls urls) {
      return new Item(
          r.id(),
          r.status(),
          r.totalImages(),
          r.processedImages(),
          r.failedImages(),
          r.createdAt(),
          r.updatedAt(),
          urls.statusUrl(r.id()),
          urls.csvUrl(r.id()));
    }
  }
}
