package io.imgpress.processing;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.util.UUID;

/** Stores the encoded output under the image's own key before the image may be marked done. */
final class StoreStep {

  private final ImageStore store;

  StoreStep(ImageStore store) {
    this.store = store;
  }

  StorageKey store(UUID requestId, long imageId, byte[] jpeg) {
    StorageKey key = StorageKey.forImage(requestId, imageId);
    try {
      store.put(key, jpeg);
    } catch (RuntimeException e) {
      throw ImageFailureException.retryable(
          FailureReason.INTERNAL, "could not store the output", e);
    }
    return key;
  }
}
