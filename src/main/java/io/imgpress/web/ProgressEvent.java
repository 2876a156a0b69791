package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.web.StatusResponse.WebhookView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The data of a {@code progress} event: the request's counts and only the images that changed since
 * the change number the client had, so watching a 30,000-image request costs what changes, not the
 * whole document every time.
 */
@Schema(
    name = "Progress",
    description =
        "Data of a `progress` event of `GET /status/{requestId}/events?since=…`: the request's"
            + " counts and the images that changed after the client's change number, in their"
            + " current state")
record ProgressEvent(
    @Schema(example = ApiExamples.REQUEST_ID) UUID requestId,
    @Schema(description = "As in `GET /status/{requestId}`", example = "processing")
        RequestStatus status,
    @Schema(example = "3") int totalImages,
    @Schema(example = "2") int processedImages,
    @Schema(example = "1") int failedImages,
    @Schema(example = "2026-01-01T12:00:00Z") Instant createdAt,
    @Schema(example = "2026-01-01T12:00:04.5Z") Instant updatedAt,
    @Schema(
            description =
                "The request's change number: this event carries every image change up to it,"
                    + " and it is also the event's `id`",
            example = "5")
        long changeNumber,
    @Schema(description = "The completion webhook; null when the upload named none")
        WebhookView webhook,
    @Schema(
            description =
                "Images whose last change came after the previous event's change number (or"
                    + " `since`), in input order; empty when only the webhook changed")
        List<ImageChange> images) {

  static ProgressEvent of(Request r, List<Product.Image> changed, PublicUrls urls) {
    return new ProgressEvent(
        r.id(),
        r.status(),
        r.totalImages(),
        r.processedImages(),
        r.failedImages(),
        r.createdAt(),
        r.updatedAt(),
        r.changeNumber(),
        r.webhook() == null ? null : WebhookView.of(r.webhook()),
        changed.stream().map(i -> ImageChange.of(i, urls)).toList());
  }

  /** An image as in {@code GET /status}, without its input URL, which never changes. */
  @Schema(
      name = "ImageChange",
      description = "An image's current state; its inputUrl is in `GET /status/{requestId}`")
  record ImageChange(
      @Schema(description = StatusResponse.IMAGE_ID_DOC, example = "7") long imageId,
      @Schema(example = "completed") ImageStatus status,
      @Schema(
              description = "The compressed image, in the request's format; null until completed",
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
              description = "Why it failed, or why its last attempt did; null otherwise",
              example = "HTTP 404 from source")
          String error,
      @Schema(example = "482133") Long inputBytes,
      @Schema(example = "96410") Long outputBytes,
      @Schema(description = StatusResponse.IMAGE_QUALITY_DOC, example = "72") Integer quality,
      @Schema(description = StatusResponse.IMAGE_CHANGE_NUMBER_DOC, example = "4")
          long changeNumber) {
    static ImageChange of(Product.Image i, PublicUrls urls) {
      return new ImageChange(
          i.imageId(),
          i.status(),
          urls.absolute(i.outputPath()),
          urls.absolute(i.previewPath()),
          i.error(),
          i.inputBytes(),
          i.outputBytes(),
          i.outputQuality(),
          i.changeNumber());
    }
  }
}
