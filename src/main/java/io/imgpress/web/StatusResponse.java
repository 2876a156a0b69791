package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.WebhookStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /status/{id}}: the request, its webhook and every image, in input order. Between the
 * upload and the expansion of its rows (usually well under a second) images are listed from the
 * staged rows, pending and without an id yet.
 */
record StatusResponse(
    UUID requestId,
    RequestStatus status,
    int totalImages,
    int processedImages,
    int failedImages,
    Instant createdAt,
    Instant updatedAt,
    WebhookView webhook,
    List<ProductView> products) {

  static StatusResponse of(Request r, List<Product> products, PublicUrls urls) {
    return of(r, products.stream().map(p -> ProductView.of(p, urls)).toList());
  }

  static StatusResponse staged(Request r, List<NewProduct> staged) {
    return of(r, staged.stream().map(ProductView::pending).toList());
  }

  private static StatusResponse of(Request r, List<ProductView> products) {
    return new StatusResponse(
        r.id(),
        r.status(),
        r.totalImages(),
        r.processedImages(),
        r.failedImages(),
        r.createdAt(),
        r.updatedAt(),
        r.webhook() == null ? null : WebhookView.of(r.webhook()),
        products);
  }

  record WebhookView(String url, WebhookStatus status, int attempts, String error) {
    static WebhookView of(Request.Webhook w) {
      return new WebhookView(w.url(), w.status(), w.attempts(), w.error());
    }
  }

  record ProductView(long serialNumber, String productName, List<ImageView> images) {
    static ProductView of(Product p, PublicUrls urls) {
      return new ProductView(
          p.serialNumber(), p.name(), p.images().stream().map(i -> ImageView.of(i, urls)).toList());
    }

    static ProductView pending(NewProduct p) {
      return new ProductView(
          p.serialNumber(),
          p.name(),
          p.inputUrls().stream()
              .map(url -> new ImageView(null, url, null, ImageStatus.PENDING, null, null, null))
              .toList());
    }
  }

  record ImageView(
      Long imageId,
      String inputUrl,
      String outputUrl,
      ImageStatus status,
      String error,
      Long inputBytes,
      Long outputBytes) {
    static ImageView of(Product.Image i, PublicUrls urls) {
      return new ImageView(
          i.imageId(),
          i.inputUrl(),
          urls.absolute(i.outputPath()),
          i.status(),
          i.error(),
          i.inputBytes(),
          i.outputBytes());
    }
  }
}
