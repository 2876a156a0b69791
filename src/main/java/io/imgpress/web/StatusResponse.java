package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedUpload;
import io.imgpress.request.WebhookStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /status/{id}}: the request, its webhook and every image, in input order. Between the
 * upload and the expansion of its rows (usually well under a second) images are listed from the
 * staged rows, pending, with the ids reserved for them at upload.
 */
@Schema(name = "Request", description = "A request with every image, in input order")
record StatusResponse(
    @Schema(example = ApiExamples.REQUEST_ID) UUID requestId,
    @Schema(
            description =
                "pending → processing → completed (every image final, at least one succeeded)"
                    + " or failed (every image failed)",
            example = "processing")
        RequestStatus status,
    @Schema(description = "Images in the request", example = "3") int totalImages,
    @Schema(description = "Images that reached a final state (completed or failed)", example = "2")
        int processedImages,
    @Schema(description = "The failed part of processedImages", example = "1") int failedImages,
    @Schema(example = "2026-01-01T12:00:00Z") Instant createdAt,
    @Schema(description = "Last change of any image", example = "2026-01-01T12:00:04.5Z")
        Instant updatedAt,
    @Schema(description = "The completion webhook; null when the upload named none")
        WebhookView webhook,
    @Schema(description = "The CSV rows, in input order") List<ProductView> products) {

  static StatusResponse of(Request r, List<Product> products, PublicUrls urls) {
    return of(r, products.stream().map(p -> ProductView.of(p, urls)).toList());
  }

  static StatusResponse staged(Request r, StagedUpload staged) {
    List<ProductView> products = new ArrayList<>(staged.products().size());
    long nextImageId = staged.firstImageId();
    for (NewProduct product : staged.products()) {
      products.add(ProductView.pending(product, nextImageId));
      nextImageId += product.inputUrls().size();
    }
    return of(r, products);
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

  @Schema(name = "Webhook", description = "Delivery of the request.completed webhook")
  record WebhookView(
      @Schema(example = "https://hooks.example.com/imgpress") String url,
      @Schema(
              description =
                  "pending (waiting for the request to finish, or for the next attempt),"
                      + " delivered, or failed (every attempt failed)",
              example = "delivered")
          WebhookStatus status,
      @Schema(description = "Deliveries tried so far", example = "1") int attempts,
      @Schema(
              description = "Why the last attempt failed; null when none did",
              example = "HTTP 503 from receiver")
          String error) {
    static WebhookView of(Request.Webhook w) {
      return new WebhookView(w.url(), w.status(), w.attempts(), w.error());
    }
  }

  @Schema(name = "Product", description = "One CSV row")
  record ProductView(
      @Schema(description = "The row's S. No.", example = "1") long serialNumber,
      @Schema(example = "SKU1") String productName,
      @Schema(description = "The row's image URLs, in input order") List<ImageView> images) {
    static ProductView of(Product p, PublicUrls urls) {
      return new ProductView(
          p.serialNumber(), p.name(), p.images().stream().map(i -> ImageView.of(i, urls)).toList());
    }

    /** A staged row: its images are pending and numbered from {@code firstImageId}. */
    static ProductView pending(NewProduct p, long firstImageId) {
      List<String> urls = p.inputUrls();
      List<ImageView> images = new ArrayList<>(urls.size());
      for (int i = 0; i < urls.size(); i++) {
        images.add(
            new ImageView(
                firstImageId + i, urls.get(i), null, ImageStatus.PENDING, null, null, null));
      }
      return new ProductView(p.serialNumber(), p.name(), images);
    }
  }

  @Schema(name = "Image", description = "One input URL and what became of it")
  record ImageView(
      @Schema(
              description =
                  "Identifies the image for good: assigned at upload, the same in every answer and"
                      + " event from the first on, unique across requests",
              example = "7")
          long imageId,
      @Schema(example = "https://example.com/a.jpg") String inputUrl,
      @Schema(
              description = "The compressed JPEG; null until the image is completed",
              example = "https://imgpress.example.com/images/" + ApiExamples.REQUEST_ID + "/7.jpg")
          String outputUrl,
      @Schema(
              description =
                  "pending, processing, completed or failed; a retried image goes back to"
                      + " pending and keeps its last error",
              example = "completed")
          ImageStatus status,
      @Schema(
              description = "Why the image failed, or why its last attempt did; null otherwise",
              example = "HTTP 404 from source")
          String error,
      @Schema(description = "Size of the source; null until completed", example = "482133")
          Long inputBytes,
      @Schema(description = "Size of the output; null until completed", example = "96410")
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
