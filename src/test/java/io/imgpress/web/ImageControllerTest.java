package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /images/...}: each stored file is served with the media type of its extension. */
class ImageControllerTest {

  final UUID requestId = UUID.randomUUID();
  final MemoryStore store = new MemoryStore();
  final ImageController controller = new ImageController(store);

  @ParameterizedTest
  @CsvSource({
    "7.jpg, image/jpeg",
    "7.webp, image/webp",
    "7.avif, image/avif",
    "7-before.jpg, image/jpeg"
  })
  void servesEachFileWithTheMediaTypeOfItsExtension(String file, String mediaType)
      throws Exception {
    store.put(new StorageKey(requestId, file), new byte[] {1, 2, 3});

    ResponseEntity<InputStreamResource> answer = controller.image(requestId.toString(), file, null);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(answer.getHeaders().getContentType()).hasToString(mediaType);
    assertThat(answer.getHeaders().getContentLength()).isEqualTo(3);
    assertThat(answer.getHeaders().getCacheControl()).contains("immutable");
    assertThat(answer.getBody().getInputStream().readAllBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void aKnownEtagIsNotModified() {
    store.put(new StorageKey(requestId, "8.webp"), new byte[] {4});

    ResponseEntity<InputStreamResource> answer =
        controller.image(requestId.toString(), "8.webp", MemoryStore.ETAG);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_MODIFIED);
    assertThat(answer.getHeaders().getETag()).isEqualTo(MemoryStore.ETAG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"9.png", "9-before.webp", "9.webp.jpg", "../9.avif", "9.AVIF", "9.jpg"})
  void anyOtherNameOrAMissingFileIsNotFound(String file) {
    ResponseStatusException e =
        catchThrowableOfType(
            ResponseStatusException.class,
            () -> controller.image(requestId.toString(), file, null));

    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  /** Keeps objects in memory, each with the same ETag. */
  static final class MemoryStore implements ImageStore {
    static final String ETAG = "\"e\"";
    final Map<StorageKey, byte[]> objects = new HashMap<>();

    @Override
    public Stored put(StorageKey key, byte[] bytes) {
      return new Stored(objects.computeIfAbsent(key, k -> bytes).length, true);
    }

    @Override
    public Optional<StoredImage> get(StorageKey key) {
      return Optional.ofNullable(objects.get(key))
          .map(b -> new StoredImage(new ByteArrayInputStream(b), b.length, ETAG));
    }

    @Override
    public void delete(StorageKey key) {
      objects.remove(key);
    }

    @Override
    public int deleteRequest(UUID id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkHealth() {}
  }
}
