package io.imgpress.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps compressed images under keys of the form {@code {requestId}/{file}}.
 *
 * <p>Contract: {@link #put} is atomic (a reader sees the whole object or none) and creates the
 * object only if the key has none: an object, once stored, never changes, so its bytes, size and
 * ETag stay what was served and recorded, whichever attempt at an image comes later (a retry, or a
 * worker that lost its lease). Concurrent writers of one key end with one object, and each learns
 * its size. Once {@code put} returns, the object is durable and {@link #get} finds it. {@link
 * #checkHealth} returns normally when the store can take a {@code put} right now and throws
 * otherwise; it is cheap enough for every health probe and leaves no object behind.
 *
 * <p>Objects go only when their request is deleted: {@link #delete} removes one object, {@link
 * #deleteRequest} every object under a request's folder, including those no record names (an
 * attempt that stored its output and died before recording it). Both are idempotent: an object that
 * is not there is fine, and a repeat after a failure finishes the job. A {@code put} after a delete
 * stores the key again; the caller that deletes a request therefore also removes what its in-flight
 * attempts store afterwards (see {@code io.imgpress.retention.RequestDeletion}).
 */
public interface ImageStore {

  /**
   * Stores {@code bytes} under {@code key} unless an object is there already.
   *
   * @return the object now under the key: the caller's, or the one an earlier writer stored
   */
  Stored put(StorageKey key, byte[] bytes);

  /**
   * {@link #put} for many objects, each with the same meaning; when it returns, all of them are
   * durable. Adapters pay for durability once per call where they can (one flush for the batch
   * instead of one per object).
   *
   * @return the object now under each key, in order
   */
  default List<Stored> putAll(List<Put> puts) {
    return puts.stream().map(p -> put(p.key(), p.bytes())).toList();
  }

  Optional<StoredImage> get(StorageKey key);

  /**
   * Where clients fetch the object directly, bypassing this service: an absolute {@code http(s)}
   * URL, for example a CDN in front of a bucket. Empty means the service serves it itself, under
   * {@link StorageKey#publicPath()}. The answer depends on the key and the store's settings only
   * (no call to the backing store), and what is recorded for an image is the answer at the time it
   * was stored.
   */
  default Optional<String> publicUrl(StorageKey key) {
    return Optional.empty();
  }

  /**
   * Removes the object under {@code key}; nothing happens when there is none.
   *
   * @throws RuntimeException when the backing store could not be asked; the object may or may not
   *     be there then, and a repeat finishes the job
   */
  void delete(StorageKey key);

  /**
   * Removes every object of the request, in pages as the backing store lists them; returns once
   * none is left that was there when it began. Nothing happens for a request without objects.
   *
   * @return how many objects it removed (for logs; a store that cannot tell answers what it asked
   *     to remove)
   * @throws RuntimeException when the backing store could not be asked; part of the objects may be
   *     gone then, and a repeat finishes the job
   */
  int deleteRequest(UUID requestId);

  /**
   * Checks that the store is reachable and writable, for the readiness probe.
   *
   * @throws RuntimeException with a message fit for an operator when it is not
   */
  void checkHealth();

  /**
   * @param size bytes of the object under the key, which is what must be recorded
   * @param created whether this call stored it (false: an earlier writer's object was kept)
   * @param url where clients fetch the object, as the backing store answered the upload
   *     (Cloudinary's {@code secure_url}); null when it answers none, and then {@link #publicUrl}
   *     or the service itself serves it
   */
  record Stored(long size, boolean created, String url) {

    public Stored(long size, boolean created) {
      this(size, created, null);
    }
  }

  /** One object for {@link #putAll}. */
  record Put(StorageKey key, byte[] bytes) {}

  /** An opened object: the caller closes the stream. */
  record StoredImage(InputStream content, long size, String etag) {}
}
