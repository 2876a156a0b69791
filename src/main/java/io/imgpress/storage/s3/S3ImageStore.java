package io.imgpress.storage.s3;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ParallelPuts;
import io.imgpress.storage.StorageKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ImageStore} on an S3-compatible bucket (AWS S3, MinIO, R2, Ceph, ...), object key {@code
 * {keyPrefix}{requestId}/{file}}.
 *
 * <p>Create-only-if-absent is the service's own conditional write: every PUT carries {@code
 * If-None-Match: *}, so the bucket stores the first writer's object and answers every later one
 * with 412 Precondition Failed, whereupon a HEAD tells that writer the size of the object that
 * stayed. S3 answers a PUT only once the object is durably stored and readable (strong
 * read-after-write consistency), so there is no flush to pay: {@link #putAll} sends its objects in
 * parallel instead. AWS S3, MinIO and Cloudflare R2 document conditional writes, and the tests run
 * against a server that honours them (S3Proxy). A service that ignored the header would break the
 * contract quietly: a second attempt at an image (a retry, a redelivered job) would replace the
 * object, usually with the same picture, but its size and ETag could then differ from what was
 * recorded and served. Do not use such a service.
 *
 * <p>Failures of the SDK (unreachable endpoint, refused credentials, a 5xx after the SDK's own
 * retries) surface as {@link UncheckedIOException}, as the local store's do, which the pipeline
 * treats as a retryable failure of the image.
 */
public class S3ImageStore implements ImageStore {

  /** What {@code GET /images/...} sends too: outputs never change. */
  static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

  /**
   * PUTs in flight at once for one {@link #putAll}: enough to hide the round trips of a batch,
   * without one batch taking the whole connection pool from the readers of {@code /images}.
   */
  static final int PARALLEL_PUTS = 16;

  /**
   * Tries of one PUT that meets 409 ConditionalRequestConflict: AWS S3's answer to a conditional
   * write that raced another write of the key still in progress; asking again settles it.
   */
  private static final int CONFLICT_TRIES = 5;

  private final S3Client s3;
  private final String bucket;
  private final String keyPrefix;
  private final String publicBaseUrl;

  /**
   * @param keyPrefix prepended to every object key: empty, or folders each ending in {@code /}
   * @param publicBaseUrl where the bucket's objects are served from directly (a CDN), without a
   *     trailing slash; null when this service serves them
   */
  public S3ImageStore(S3Client s3, String bucket, String keyPrefix, String publicBaseUrl) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
    this.publicBaseUrl = publicBaseUrl;
  }

  /** The object key of {@code key} in the bucket. */
  String objectKey(StorageKey key) {
    return keyPrefix + key.requestId() + "/" + key.file();
  }

  @Override
  public Stored put(StorageKey key, byte[] bytes) {
    String objectKey = objectKey(key);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          s3.putObject(
              b ->
                  b.bucket(bucket)
                      .key(objectKey)
                      .ifNoneMatch("*")
                      .contentType(key.mediaType())
                      .cacheControl(CACHE_CONTROL)
                      .contentLength((long) bytes.length),
              RequestBody.fromBytes(bytes));
          return new Stored(bytes.length, true);
        } catch (S3Exception e) {
          if (e.statusCode() == 412) {
            return new Stored(sizeOf(objectKey), false);
          }
          if (e.statusCode() != 409 || attempt == CONFLICT_TRIES) {
            throw e;
          }
          pause(attempt);
        }
      }
    } catch (SdkException e) {
      throw failure("could not store " + objectKey + " in bucket " + bucket, e);
    }
  }

  /** The size of an object that a refused conditional write proved is there. */
  private long sizeOf(String objectKey) {
    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(objectKey));
    return head.contentLength();
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(20L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException("interrupted while storing an image"));
    }
  }

  /** Each put is durable when answered; {@link ParallelPuts} sends the batch's at once. */
  @Override
  public List<Stored> putAll(List<Put> puts) {
    return ParallelPuts.putAll(puts, PARALLEL_PUTS, this::put);
  }

  /** The object streamed from the bucket: the caller's read holds one pooled connection. */
  @Override
  public Optional<StoredImage> get(StorageKey key) {
    String objectKey = objectKey(key);
    try {
      ResponseInputStream<GetObjectResponse> in =
          s3.getObject(b -> b.bucket(bucket).key(objectKey));
      GetObjectResponse response = in.response();
      if (response.contentLength() == null || response.eTag() == null) {
        in.abort(); // the connection goes, instead of staying leased to an unread body
        throw new UncheckedIOException(
            new IOException(
                "bucket "
                    + bucket
                    + " served "
                    + objectKey
                    + " without an ETag or a length, which S3 always sends"));
      }
      return Optional.of(
          new StoredImage(
              new AbortUnlessRead(in, response.contentLength()),
              response.contentLength(),
              quoted(response.eTag())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("could not read " + objectKey + " from bucket " + bucket, e);
    } catch (SdkException e) {
      throw failure("could not read " + objectKey + " from bucket " + bucket, e);
    }
  }

  /** S3 answers a DELETE of a missing key with 204 as of an existing one. */
  @Override
  public void delete(StorageKey key) {
    String objectKey = objectKey(key);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
    } catch (SdkException e) {
      throw failure("could not delete " + objectKey + " from bucket " + bucket, e);
    }
  }

  /**
   * Lists the request's folder a page (up to 1,000 keys) at a time and removes each page with one
   * DeleteObjects call; needs {@code s3:ListBucket} and {@code s3:DeleteObject}.
   */
  @Override
  public int deleteRequest(UUID requestId) {
    String prefix = keyPrefix + requestId + "/";
    int removed = 0;
    try {
      String token = null;
      do {
        String continuation = token;
        ListObjectsV2Response page =
            s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuation));
        List<ObjectIdentifier> keys = new ArrayList<>();
        page.contents().forEach(o -> keys.add(ObjectIdentifier.builder().key(o.key()).build()));
        if (!keys.isEmpty()) {
          DeleteObjectsResponse deleted =
              s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
          if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
            var first = deleted.errors().getFirst();
            throw new UncheckedIOException(
                new IOException(
                    "bucket "
                        + bucket
                        + " refused to delete "
                        + deleted.errors().size()
                        + " object(s) under "
                        + prefix
                        + ", "
                        + first.key()
                        + ": "
                        + first.code()
                        + " "
                        + first.message()));
          }
          removed += keys.size();
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw failure("could not delete the objects under " + prefix + " in bucket " + bucket, e);
    }
    return removed;
  }

  /** S3 sends ETags quoted, as HTTP wants them; a service that does not gets them quoted here. */
  private static String quoted(String etag) {
    return etag.startsWith("\"") || etag.startsWith("W/\"") ? etag : "\"" + etag + "\"";
  }

  @Override
  public Optional<String> publicUrl(StorageKey key) {
    return publicBaseUrl == null
        ? Optional.empty()
        : Optional.of(publicBaseUrl + "/" + objectKey(key));
  }

  /**
   * One HEAD of the bucket: it exists and these credentials reach it. It cannot prove the right to
   * write without writing, so a policy that allows reading but not {@code s3:PutObject} shows up as
   * failing images, not here.
   */
  @Override
  public void checkHealth() {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (S3Exception e) {
      String why =
          switch (e.statusCode()) {
            case 404 -> "it does not exist";
            case 301, 400 ->
                "it is in another region than the one configured, or the request is malformed";
            case 401, 403 -> "the credentials are refused or lack s3:ListBucket on it";
            default -> "HTTP " + e.statusCode();
          };
      throw failure("S3 bucket " + bucket + " cannot be used: " + why, e);
    } catch (SdkException e) {
      throw failure("S3 bucket " + bucket + " cannot be reached", e);
    }
  }

  private static UncheckedIOException failure(String message, SdkException cause) {
    return new UncheckedIOException(message + ": " + cause.getMessage(), new IOException(cause));
  }

  @Override
  public String toString() {
    return "bucket "
        + bucket
        + (keyPrefix.isEmpty() ? "" : " under " + keyPrefix)
        + (publicBaseUrl == null ? ", served by this service" : ", served from " + publicBaseUrl);
  }

  /**
   * Closing a body before its end (a 304 to a revalidation, a client that went away) aborts the
   * connection: the HTTP client would otherwise read the rest of the object just to reuse it.
   */
  private static final class AbortUnlessRead extends FilterInputStream {

    private final ResponseInputStream<?> body;
    private long left;

    AbortUnlessRead(ResponseInputStream<?> body, long length) {
      super(body);
      this.body = body;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      if (left > 0) {
        body.abort();
      }
      super.close();
    }
  }
}
