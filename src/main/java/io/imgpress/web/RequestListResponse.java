package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /requests}: one page of requests, newest first, without their products. */
record RequestListResponse(List<Item> items, int page, int size, boolean hasMore) {

  record Item(
      UUID requestId,
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
