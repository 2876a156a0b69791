package io.imgpress.storage.cloudinary;

import com.cloudinary.Api;
import com.cloudinary.Cloudinary;
import com.cloudinary.Uploader;
import com.cloudinary.api.AuthorizationRequired;
import com.cloudinary.api.exceptions.NotAllowed;
import com.cloudinary.api.exceptions.RateLimited;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ParallelPuts;
import io.imgpress.storage.StorageKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ImageStore} on Cloudinary, through its Java SDK: the object of key {@code
 * {requestId}/{imageId}.jpg} (or {@code .webp}, {@code .avif}) is the image asset (resource type
 * {@code image}, delivery type {@code upload}) of public id {@code {folder}/{requestId}/{imageId}},
 * a name derived from the key alone, so a retried upload meets the asset an earlier attempt stored
 * instead of making a second one. One image has one output format (its request's), so dropping the
 * extension never makes two keys one public id; a preview is {@code {imageId}-before}.
 *
 * <p>Create-only-if-absent is Cloudinary's {@code overwrite=false}: when the public id is taken the
 * upload returns at once with the details of the asset already there ({@code "existing": true}) and
 * leaves it as it was; its {@code bytes} is the size recorded. The bytes are uploaded as they are,
 * with no incoming transformation and no {@code format} (which would make Cloudinary convert them):
 * it keeps the original and detects its format, which is the key's, as the bytes are JPEG, WebP or
 * AVIF as the key's extension says. The delivery URL carries that extension, so Cloudinary serves
 * the original untransformed, with its own Content-Type.
 *
 * <p>Output URLs: {@link #publicUrl} is the delivery URL the SDK builds for the public id from the
 * account's settings ({@code secure}, {@code secure_distribution}, {@code private_cdn}, {@code
 * cname}), with the extension of the key, which is the upload's {@code secure_url} but for its
 * version segment ({@code v1} instead of {@code v<upload time>}; the SDK puts a version into every
 * URL of a public id with folders). That URL depends on the key and the settings only, as the port
 * requires, and delivers the same asset: the version only busts caches, and an asset here never
 * changes. Each upload compares it with the {@code secure_url} Cloudinary answered, and a mismatch
 * (a CDN setting missing from {@code CLOUDINARY_URL}) is logged once.
 *
 * <p>Failures: the upload API answers errors with a status and a JSON message. 420 and 429
 * (limits), 5xx and broken connections are retried here ({@link #TRIES} in all, with backoff; a
 * retry after an upload that did succeed finds the asset and keeps it); others (400 for a refused
 * file, 401 for a wrong key, secret or clock) fail at once. A failure surfaces as {@link
 * UncheckedIOException}, as the other stores' do, which the pipeline treats as a retryable failure
 * of the image.
 */
public class CloudinaryImageStore implements ImageStore, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CloudinaryImageStore.class);

  /** Uploads in flight at once for one {@link #putAll}, as for the S3 store. */
  static final int PARALLEL_PUTS = 16;

  /** Tries of one upload that meets a limit, a 5xx or a broken connection. */
  static final int TRIES = 3;

  private static final Pattern VERSION = Pattern.compile("/v[0-9]+/");

  private final Cloudinary cloudinary;
  // One of each for the store's life: the SDK's uploader() and api() each build a new HTTP client
  // on a shared strategy object, so calling them per request would make a client per call.
  private final Uploader uploader;
  private final Api api;
  private final String folder;
  private final HttpClient delivery;
  private final Duration timeout;
  private final Duration healthCheckInterval;
  private final Clock clock;
  private final AutoCloseable resources;
  private final AtomicBoolean urlMismatchLogged = new AtomicBoolean();
  private volatile HealthAnswer lastHealth;

  /**
   * @param folder the folder of every public id: empty, or folders separated by {@code /}
   * @param resources closed with the store: the SDK's connection pool
   */
  public CloudinaryImageStore(
      Cloudinary cloudinary,
      String folder,
      Duration timeout,
      Duration healthCheckInterval,
      Clock clock,
      AutoCloseable resources) {
    this.cloudinary = cloudinary;
    this.uploader = cloudinary.uploader();
    this.api = cloudinary.api();
    this.folder = folder == null ? "" : folder;
    this.timeout = timeout;
    this.healthCheckInterval = healthCheckInterval;
    this.clock = clock;
    this.resources = resources;
    this.delivery =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The public id of {@code key}'s asset: the key without its extension, under the folder. */
  String publicId(StorageKey key) {
    String name = key.requestId() + "/" + key.file().substring(0, key.file().lastIndexOf('.'));
    return folder.isEmpty() ? name : folder + "/" + name;
  }

  private static String format(StorageKey key) {
    return key.file().substring(key.file().lastIndexOf('.') + 1);
  }

  @Override
  public Stored put(StorageKey key, byte[] bytes) {
    String publicId = publicId(key);
    Map<String, Object> options = new HashMap<>();
    options.put("public_id", publicId);
    options.put("resource_type", "image");
    options.put("type", "upload");
    options.put("overwrite", false);
    options.put("unique_filename", false);
    // Errors come back as a result with their status instead of a RuntimeException that has only
    // a message, so that limits and 5xx can be told from refusals.
    options.put("return_error", true);
    for (int attempt = 1; ; attempt++) {
      Map<?, ?> result;
      try {
        result = uploader.upload(bytes, options);
      } catch (IOException e) {
        // No answer (refused or broken connection, timeout).
        if (attempt < TRIES) {
          pause(attempt);
          continue;
        }
        throw new UncheckedIOException(
            "could not store " + publicId + " in " + this + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new UncheckedIOException(
            "could not store " + publicId + " in " + this + ": " + e.getMessage(),
            new IOException(e));
      }
      if (result.get("error") instanceof Map<?, ?> error) {
        int status = error.get("http_code") instanceof Number n ? n.intValue() : 0;
        String message = "could not store " + publicId + " in " + this + ": " + describe(error);
        if (isTransient(status) && attempt < TRIES) {
          pause(attempt);
          continue;
        }
        throw new UncheckedIOException(new IOException(message));
      }
      boolean existing = Boolean.TRUE.equals(result.get("existing"));
      checkUrl(key, result);
      Object url = result.get(cloudinary.config.secure ? "secure_url" : "url");
      return new Stored(
          sizeOf(key, result, bytes),
          !existing,
          url instanceof String u && !u.isBlank() ? u : null);
    }
  }

  static boolean isTransient(int status) {
    return status == 420 || status == 429 || status >= 500 || status == 0;
  }

  private static String describe(Map<?, ?> error) {
    return "HTTP " + error.get("http_code") + " " + error.get("message");
  }

  /** The size of the asset now under the public id, as the upload's answer gives it. */
  private long sizeOf(StorageKey key, Map<?, ?> result, byte[] bytes) {
    if (result.get("bytes") instanceof Number n) {
      return n.longValue();
    }
    if (!Boolean.TRUE.equals(result.get("existing"))) {
      return bytes.length;
    }
    // An answer about an existing asset without its size: ask the delivery URL.
    return get(key)
        .map(
            image -> {
              try (InputStream in = image.content()) {
                return image.size();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .orElseThrow(
            () ->
                new UncheckedIOException(
                    new IOException(
                        "Cloudinary reported "
                            + publicId(key)
                            + " as existing, but does not deliver it")));
  }

  /** Logs once when the URL recorded for outputs is not the one Cloudinary reports. */
  private void checkUrl(StorageKey key, Map<?, ?> result) {
    Object reported = result.get(cloudinary.config.secure ? "secure_url" : "url");
    if (!(reported instanceof String url) || urlMismatchLogged.get()) {
      return;
    }
    String recorded = publicUrl(key).orElseThrow();
    if (!withoutVersion(url).equals(withoutVersion(recorded))
        && urlMismatchLogged.compareAndSet(false, true)) {
      log.warn(
          "Cloudinary delivers {} at {}, but output URLs are recorded as {}: set the CDN settings"
              + " of the account (secure_distribution, private_cdn, cname) in CLOUDINARY_URL",
          publicId(key),
          url,
          recorded);
    }
  }

  static String withoutVersion(String url) {
    return VERSION.matcher(url).replaceFirst("/");
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(250L << (attempt - 1));
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

  /**
   * The asset as its delivery URL ({@link #publicUrl}) serves it: the original, untransformed. Size
   * and ETag come from the response; a response without an ETag fails the read.
   */
  @Override
  public Optional<StoredImage> get(StorageKey key) {
    String url = publicUrl(key).orElseThrow();
    HttpResponse<InputStream> response;
    try {
      response =
          delivery.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + publicId(key) + " from " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException("interrupted while reading " + publicId(key)));
    }
    InputStream body = response.body();
    try {
      if (response.statusCode() == 404) {
        body.close();
        return Optional.empty();
      }
      Optional<String> etag = response.headers().firstValue("ETag");
      if (response.statusCode() != 200 || etag.isEmpty()) {
        body.close();
        throw new UncheckedIOException(
            new IOException(
                "Cloudinary answered "
                    + publicId(key)
                    + " with HTTP "
                    + response.statusCode()
                    + (etag.isEmpty() && response.statusCode() == 200 ? " without an ETag" : "")
                    + " at "
                    + url));
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent()) {
        return Optional.of(new StoredImage(body, length.getAsLong(), quoted(etag.get())));
      }
      // A chunked answer: outputs are small, so read it to learn its size.
      byte[] bytes;
      try (InputStream in = body) {
        bytes = in.readAllBytes();
      }
      return Optional.of(
          new StoredImage(new ByteArrayInputStream(bytes), bytes.length, quoted(etag.get())));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + publicId(key) + " from " + this, e);
    }
  }

  private static String quoted(String etag) {
    return etag.startsWith("\"") || etag.startsWith("W/\"") ? etag : "\"" + etag + "\"";
  }

  /**
   * The SDK's delivery URL of the key's asset, from the key and the account's settings only (no
   * call); see the class comment for how it relates to the upload's {@code secure_url}.
   */
  @Override
  public Optional<String> publicUrl(StorageKey key) {
    return Optional.of(
        cloudinary
            .url()
            .resourceType("image")
            .type("upload")
            .format(format(key))
            .generate(publicId(key)));
  }

  /**
   * Admin API {@code DELETE resources/image/upload} by public id; Cloudinary answers {@code
   * not_found} for an asset that is not there, which is fine. {@code invalidate} asks the CDN to
   * drop its cached copies too, so the delivery URL stops serving the image.
   */
  @Override
  public void delete(StorageKey key) {
    String publicId = publicId(key);
    try {
      api.deleteResources(List.of(publicId), deleteOptions(null));
    } catch (Exception e) {
      throw new UncheckedIOException(
          "could not delete " + publicId + " from " + this + ": " + e.getMessage(),
          new IOException(e));
    }
  }

  /**
   * Admin API {@code DELETE resources/image/upload} by prefix {@code {folder}/{requestId}/}, which
   * Cloudinary does up to 1,000 assets at a time, answering {@code "partial": true} with a {@code
   * next_cursor} while more are left. Each call counts against the Admin API's hourly limit.
   */
  @Override
  public int deleteRequest(UUID requestId) {
    String prefix = (folder.isEmpty() ? "" : folder + "/") + requestId + "/";
    int removed = 0;
    String cursor = null;
    try {
      do {
        Map<?, ?> answer = api.deleteResourcesByPrefix(prefix, deleteOptions(cursor));
        if (answer.get("deleted") instanceof Map<?, ?> deleted) {
          removed += (int) deleted.values().stream().filter("deleted"::equals).count();
        }
        cursor =
            Boolean.TRUE.equals(answer.get("partial"))
                    && answer.get("next_cursor") instanceof String c
                ? c
                : null;
      } while (cursor != null);
    } catch (Exception e) {
      throw new UncheckedIOException(
          "could not delete the assets under " + prefix + " from " + this + ": " + e.getMessage(),
          new IOException(e));
    }
    return removed;
  }

  private static Map<String, Object> deleteOptions(String cursor) {
    Map<String, Object> options = new HashMap<>();
    options.put("resource_type", "image");
    options.put("type", "upload");
    options.put("invalidate", true);
    if (cursor != null) {
      options.put("next_cursor", cursor);
    }
    return options;
  }

  /**
   * An Admin API {@code ping}: the account answers and takes this key and secret. Its answer is
   * reused for {@code healthCheckInterval}, as the Admin API is rate-limited per hour (uploads are
   * not). Like the S3 store's, it cannot prove the right to upload without uploading, so a key
   * without that permission shows up as failing images, not here.
   */
  @Override
  public void checkHealth() {
    HealthAnswer last = lastHealth;
    Instant now = clock.instant();
    if (last == null || !now.isBefore(last.at().plus(healthCheckInterval))) {
      last = new HealthAnswer(now, ping());
      lastHealth = last;
    }
    if (last.failure() != null) {
      throw last.failure();
    }
  }

  private UncheckedIOException ping() {
    try {
      api.ping(Map.of());
      return null;
    } catch (AuthorizationRequired | NotAllowed e) {
      return unhealthy("the API key and secret of CLOUDINARY_URL are refused", e);
    } catch (RateLimited e) {
      return unhealthy("the Admin API's hourly limit is spent", e);
    } catch (Exception e) {
      return unhealthy("it cannot be reached", e);
    }
  }

  private UncheckedIOException unhealthy(String why, Exception cause) {
    return new UncheckedIOException(
        this + " cannot be used: " + why + ": " + cause.getMessage(), new IOException(cause));
  }

  private record HealthAnswer(Instant at, UncheckedIOException failure) {}

  @Override
  public void close() throws Exception {
    delivery.close();
    if (resources != null) {
      resources.close();
    }
  }

  @Override
  public String toString() {
    return "Cloudinary cloud "
        + cloudinary.config.cloudName
        + (folder.isEmpty() ? "" : " under " + folder + "/");
  }
}
