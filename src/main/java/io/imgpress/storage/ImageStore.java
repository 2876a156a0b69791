package io.imgpress.storage;

import java.io.InputStream;
import java.util.Optional;

/**
 * Keeps compressed images under keys of the form {@code {requestId}/{file}}.
 *
 * <p>Contract: {@link #put} is atomic (a reader sees the whole object or none) and idempotent for
 * the same key and bytes; once {@code put} returns, the object is durable and {@link #get} finds
 * it. Objects are immutable, so their ETag never changes.
 */
public interface ImageStore {

  void put(StorageKey key, byte[] bytes);

  Optional<StoredImage> get(StorageKey key);

  /** An opened object: the caller closes the stream. */
  record StoredImage(InputStream content, long size, String etag) {}
}
