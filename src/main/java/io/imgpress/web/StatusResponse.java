package io.imgpress.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgpress.PublicUrls;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
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
 * {@code GET /status/{id}}: the request, its webhook and its images, in input order; all products,
 * or one page of them. Between the upload and the expansion of its rows (usually well under a
 * second) images are listed from the staged rows, pending, with the ids reserved for them at
 * upload; failed, with the request's reason, when the rows could not be expanded.
 */
@Schema(
    name = "Request",
    description = "A request with its images in input order: every product, or one page of them")
record StatusResponse(
    @Schema(example = ApiExamples.REQUEST_ID) UUID requestId,
    @Schema(
            description =
                "pending → processing → completed (every image final, at least one succeeded)"
                    + " or failed (every image failed)",
            example = "processing")
        RequestStatus status,
    @Schema(
            description = "The output format asked for at upload: jpeg, webp or avif",
            allowableValues = {"jpeg", "webp", "avif"},
            example = "webp")
        String format,
    @Schema(
            description =
                "The quality asked for at upload: 1–100, or \"auto\" for the lowest quality"
                    + " whose output stays within a perceptual target of its source (each image's"
                    + " `quality` tells the one chosen)",
            oneOf = {Integer.class, String.class},
            example = "80")
        Object quality,
    @Schema(
            description =
                "Outputs are at most this wide (scaled down, aspect kept, never up); null for no"
                    + " limit",
            example = "1600")
        Integer maxWidth,
    @Schema(description = "Outputs are at most this tall; null for no limit", example = "1600")
        Integer maxHeight,
    @Schema(description = "Images in the request", example = "3") int totalImages,
    @Schema(description = "Images that reached a final state (completed or failed)", example = "2")
        int processedImages,
    @Schema(description = "The failed part of processedImages", example = "1") int failedImages,
    @Schema(example = "2026-01-01T12:00:00Z") Instant createdAt,
    @Schema(description = "Last change of any image", example = "2026-01-01T12:00:04.5Z")
        Instant updatedAt,
    @Schema(description = CHANGE_NUMBER_DOC, example = "5") long changeNumber,
    @Schema(description = "The completion webhook; null when the upload named none")
        WebhookView webhook,
    @Schema(description = "Products (CSV rows) in the request", example = "2") int totalProducts,
    @Schema(
            description = "The page shown, from 0; only when `page` or `size` was given",
            example = "0")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer page,
    @Schema(
            description = "Products per page; only when `page` or `size` was given",
            example = "100")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer size,
    @Schema(
            description =
                "The CSV rows in input order: all of them, or those at positions page × size to"
                    + " page × size + size − 1")
        List<ProductView> products) {

  static final String CHANGE_NUMBER_DOC =
      "Counts the changes of the request's images so far (0 before the first). Open"
          + " `GET /status/{requestId}/events?since={changeNumber}` to get only what changes"
          + " after this answer";

  static final String IMAGE_ID_DOC =
      "Identifies the image for good: reserved at upload, the same in every answer and event"
          + " from the first on (also before the upload is expanded), unique across requests";

  static final String IMAGE_CHANGE_NUMBER_DOC =
      "The request's change number at this image's last change (0 before the first): of two"
          + " states of one image, the one with the greater number is the newer";

  static final String IMAGE_QUALITY_DOC =
      "The quality the output was encoded at: the request's, or the one chosen for"
          + " `quality=auto`; null until the image is completed";

  /** How the API shows a quality: the number, or {@code "auto"}. */
  static Object quality(Output output) {
    return output.autoQuality() ? "auto" : Integer.valueOf(output.quality());
  }

  /** A limit of the bounding box as the API shows it: null for none. */
  private static Integer limit(int pixels) {
    return pixels == 0 ? null : pixels;
  }

  static StatusResponse of(
      Request r, List<Product> products, int totalProducts, Paging paging, PublicUrls urls) {
    return of(
        r, products.stream().map(p -> ProductView.of(p, urls)).toList(), totalProducts, paging);
  }

  /** The staged rows of {@code paging}'s page (all without paging), ids counted from the first. */
  static StatusResponse staged(Request r, StagedUpload staged, Paging paging) {
    List<NewProduct> rows = staged.products();
    // A request that failed before expansion shows its rows with the request's reason.
    ImageStatus status =
        r.status() == RequestStatus.FAILED ? ImageStatus.FAILED : ImageStatus.PENDING;
    int from = paging == null ? 0 : (int) Math.min(rows.size(), (long) paging.offset());
    int to =
        paging == null ? rows.size() : (int) Math.min(rows.size(), (long) from + paging.size());
    long nextImageId = staged.firstImageId();
    for (int i = 0; i < from; i++) {
      nextImageId += rows.get(i).inputUrls().size();
    }
    List<ProductView> products = new ArrayList<>(to - from);
    for (NewProduct product : rows.subList(from, to)) {
      products.add(ProductView.staged(product, nextImageId, status, r.error()));
      nextImageId += product.inputUrls().size();
    }
    return of(r, products, rows.size(), paging);
  }

  private static StatusResponse of(
      Request r, List<ProductView> products, int totalProducts, Paging paging) {
    return new StatusResponse(
        r.id(),
        r.status(),
        r.output().format().apiName(),
        quality(r.output()),
        limit(r.output().maxWidth()),
        limit(r.output().maxHeight()),
        r.totalImages(),
        r.processedImages(),
        r.failedImages(),
        r.createdAt(),
        r.updatedAt(),
        r.changeNumber(),
        r.webhook() == null ? null : WebhookView.of(r.webhook()),
        totalProducts,
        paging == null ? null : paging.page(),
        paging == null ? null : paging.size(),
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

    /** A staged row: its images numbered from {@code firstImageId}, all in one state. */
    static ProductView staged(NewProduct p, long firstImageId, ImageStatus status, String error) {
      List<String> urls = p.inputUrls();
      List<ImageView> images = new ArrayList<>(urls.size());
      for (int i = 0; i < urls.size(); i++) {
        images.add(
            new ImageView(
                firstImageId + i, urls.get(i), null, null, status, error, null, null, null, 0));
      }
      return new ProductView(p.serialNumber(), p.name(), images);
    }
  }

  @Schema(name = "Image", description = "One input URL and what became of it")
  record ImageView(
      @Schema(description = IMAGE_ID_DOC, example = "7") long imageId,
      @Schema(example = "https://example.com/a.jpg") String inputUrl,
      @Schema(
              description =
                  "The compressed image, in the request's format (its extension says which);"
                      + " null until the image is completed",
              example = "https://imgpress.example.com/images/" + ApiExamples.REQUEST_ID + "/7.webp")
          String outputUrl,
      @Schema(
              description =
                  "A small \"before\" preview the service made from the source bytes it fetched,"
                      + " so a page can show the source without loading its URL; null unless"
                      + " the image completed (and when previews are off)",
              example =
                  "https://imgpress.example.com/images/" + ApiExamples.REQUEST_ID + "/7-before.jpg")
          String previewUrl,
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
          Long outputBytes,
      @Schema(description = IMAGE_QUALITY_DOC, example = "72") Integer quality,
      @Schema(description = IMAGE_CHANGE_NUMBER_DOC, example = "4") long changeNumber) {
    static ImageView of(Product.Image i, PublicUrls urls) {
      return new ImageView(
          i.imageId(),
          i.inputUrl(),
          urls.absolute(i.outputPath()),
          urls.absolute(i.previewPath()),
          i.status(),
          i.error(),
          i.inputBytes(),
          i.outputBytes(),
          i.outputQuality(),
          i.changeNumber());
    }
  }
}
