package io.imgpress.web;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStore.StoredImage;
import io.imgpress.storage.StorageKey;
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
@RestController
class ImageController {

  private static final CacheControl FOREVER =
      CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

  private final ImageStore store;

  ImageController(ImageStore store) {
    this.store = store;
  }

  @GetMapping("/images/{requestId}/{file}")
  ResponseEntity<InputStreamResource> image(
      @PathVariable String requestId,
      @PathVariable String file,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
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
        .contentType(MediaType.IMAGE_JPEG)
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
