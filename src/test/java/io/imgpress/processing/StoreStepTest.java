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
    StoreStep.Output output = new StoreStep(store).store(requestId, 9, new byte[] {1, 2, 3});
    StorageKey key = output.key();

    assertThat(key).isEqualTo(StorageKey.forImage(requestId, 9));
    assertThat(output.size()).isEqualTo(3);
    try (var in = store.get(key).orElseThrow().content()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aLaterAttemptKeepsTheEarlierOutputAndReportsItsSize() throws Exception {
    LocalImageStore store = new LocalImageStore(root);
    UUID requestId = UUID.randomUUID();
    new StoreStep(store).store(requestId, 9, new byte[] {1, 2, 3});

    StoreStep.Output again = new StoreStep(store).store(requestId, 9, new byte[] {4, 5, 6, 7});

    assertThat(again.size()).as("the size of what is served").isEqualTo(3);
    try (var in = store.get(again.key()).orElseThrow().content()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aStoreFailureIsRetryableSoTheImageIsNotLost() {
    ImageStore broken =
        new ImageStore() {
          @Override
          public Stored put(StorageKey key, byte[] bytes) {
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
