package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import io.imgpress.storage.local.LocalImageStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreStepTest {

  @TempDir Path root;

  @Test
  void storesUnderTheImagesOwnKey() throws Exception {
    LocalImageStore store = new LocalImageStore(root);
    UUID requestId = UUID.randomUUID();
    StorageKey key = new StoreStep(store).store(requestId, 9, new byte[] {1, 2, 3});

    assertThat(key).isEqualTo(StorageKey.forImage(requestId, 9));
    try (var in = store.get(key).orElseThrow().content()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aStoreFailureIsRetryableSoTheImageIsNotLost() {
    ImageStore broken =
        new ImageStore() {
          @Override
          public void put(StorageKey key, byte[] bytes) {
            throw new UncheckedIOException(new java.io.IOException("disk full"));
          }

          @Override
          public Optional<StoredImage> get(StorageKey key) {
            return Optional.empty();
          }

          @Override
          public void checkHealth() {}
        };
    assertThatThrownBy(() -> new StoreStep(broken).store(UUID.randomUUID(), 1, new byte[] {1}))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.getMessage()).doesNotContain("disk full");
            });
  }
}
