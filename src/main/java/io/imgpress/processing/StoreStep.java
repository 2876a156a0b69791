package io.imgpress.processing;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the encoded output under the image's own key before the image may be marked done. Should
 * an earlier attempt have stored it already, that object stays and its size is what gets recorded.
 */
final class StoreStep {

  private static final Logger log = LoggerFactory.getLogger(StoreStep.class);

  private final ImageStore store;

  StoreStep(ImageStore store) {
    this.store = store;
  }

  Output store(UUID requestId, long imageId, byte[] jpeg) {
    StorageKey key = StorageKey.forImage(requestId, imageId);
    ImageStore.Stored stored;
    try {
      stored = store.put(key, jpeg);
    } catch (RuntimeException e) {
      throw ImageFailureException.retryable(
          FailureReason.INTERNAL, "could not store the output", e);
    }
    if (!stored.created()) {
      log.info("Kept the output an earlier attempt stored ({} bytes)", stored.size());
    }
    return new Output(key, stored.size());
  }

  /** Where the output is and its size, which an earlier attempt may have decided. */
  record Output(StorageKey key, long size) {}
}
