package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStore.StoredImage;
import io.imgpress.storage.StorageKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /images/{requestId}/{file}}: stored outputs never change, so they are served with an
 * ETag and a year-long immutable cache lifetime.
 */
@ConditionalOnApiRole
@RestController
@Tag(name = OpenApiConfiguration.Tags.IMAGES)
class ImageController {

  private static final CacheControl FOREVER =
      CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

  private final ImageStore store;

  ImageController(ImageStore store) {
    this.store = store;
  }

  @Operation(
      operationId = "image",
      summary = "A compressed image",
      description =
          "The stored output, as linked by outputUrl, in the request's format (.jpg, .webp or"
              + " .avif, served as image/jpeg, image/webp or image/avif), or the JPEG preview of"
              + " its source, as linked by previewUrl. Outputs never change: they carry an ETag"
              + " and may be cached for a year.")
  @ApiResponse(
      responseCode = "200",
      description = "The image, with the media type of its extension",
      headers = {
        @Header(
            name = "ETag",
            schema = @Schema(type = "string", example = "\"178a2-18d2c3f5e10\"")),
        @Header(
            name = "Cache-Control",
            schema = @Schema(type = "string", example = "max-age=31536000, public, immutable"))
      },
      content = {
        @Content(
            mediaType = MediaType.IMAGE_JPEG_VALUE,
            schema = @Schema(type = "string", format = "binary")),
        @Content(mediaType = "image/webp", schema = @Schema(type = "string", format = "binary")),
        @Content(mediaType = "image/avif", schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(
      responseCode = "304",
      description = "Not modified: If-None-Match named its ETag",
      content = @Content)
  @ApiResponse(
      responseCode = "404",
      description = "No such image (about:blank)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = @ExampleObject(name = "not-found", value = ApiExamples.IMAGE_NOT_FOUND)))
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @GetMapping("/images/{requestId}/{file}")
  ResponseEntity<InputStreamResource> image(
      @RequestIdParameter @PathVariable String requestId,
      @Parameter(
              description =
                  "{imageId}.jpg, .webp or .avif (the request's format), or {imageId}-before.jpg"
                      + " for the preview of its source",
              example = "7.jpg",
              schema =
                  @Schema(
                      type = "string",
                      pattern = "^[0-9]{1,19}(\\.(jpg|webp|avif)|-before\\.jpg)$"))
          @PathVariable
          String file,
      @Parameter(description = "An ETag from an earlier answer")
          @RequestHeader(name = "If-None-Match", required = false)
          String ifNoneMatch) {
    StorageKey key;
    try {
      key = new StorageKey(RequestIds.parse(requestId), file);
    } catch (IllegalArgumentException | RequestIds.MalformedIdException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such image");
    }
    StoredImage image =
        store
            .get(key)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such image"));
    if (image.etag().equals(ifNoneMatch)) {
      closeQuietly(image);
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
          .eTag(image.etag())
          .cacheControl(FOREVER)
          .build();
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(key.mediaType()))
        .contentLength(image.size())
        .eTag(image.etag())
        .cacheControl(FOREVER)
        .body(new InputStreamResource(image.content()));
  }

  private static void closeQuietly(StoredImage image) {
    try {
      image.content().close();
    } catch (java.io.IOException ignored) {
      // nothing was read from it
    }
  }
}
