package io.imgpress.storage;

import java.io.InputStream;
import java.util.Optional;

/**
 * Keeps compressed images under keys of the form {@code {requestId}/{file}}.
 *
 * <p>Contract: {@link #put} is atomic (a reader sees the whole object or none) and idempotent for
 * the same key and bytes; once {@code put} returns, the object is durable and {@link #get} finds
 * it. Objects are immutable, so their ETag never changes. {@link #checkHealth} returns normally
 * when the store can take a {@code put} right now and throws otherwise; it is cheap enough for
 * every health probe and leaves no object behind.
 */
public interface ImageStore {

  void put(StorageKey key, byte[] bytes);

  Optional<StoredImage> get(StorageKey key);

  /**
   * Checks that the store is reachable and writable, for the readiness probe.
   *
   * @throws RuntimeException with a message fit for an operator when it is not
   */
  void checkHealth();

  /** An opened object: the caller closes the stream. */
  record StoredImage(InputStream content, long size, String etag) {}
}
