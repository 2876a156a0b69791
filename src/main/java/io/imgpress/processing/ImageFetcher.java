package io.imgpress.processing;

import java.net.URI;
import java.time.Duration;

/**
 * Downloads one source image.
 *
 * <p>Contract: only {@code http} and {@code https}; every connection, redirects included, goes to
 * an address the outbound guard allows; at most the configured number of redirects; the body is
 * capped at the configured size without reading past the cap. Before it reads a body the fetcher
 * reserves the body's size from the given {@link ByteBudget} (waiting while it is spent); the
 * reservation comes back with the image and the caller releases it by closing the image, and on a
 * failure the fetcher releases it itself. Failures are reported as {@link ImageFailureException},
 * retryable for connection errors, timeouts, HTTP 5xx and 429, permanent otherwise; a 429 or 503
 * that says when to come back ({@code Retry-After}) carries that wait in {@link
 * ImageFailureException#retryAfter()}.
 */
public interface ImageFetcher {

  FetchedImage fetch(URI uri, ByteBudget budget);

  /** A download whose memory the caller bounds some other way. */
  default FetchedImage fetch(URI uri) {
    return fetch(uri, ByteBudget.unlimited());
  }

  /** The downloaded body and where it finally came from (after redirects). */
  record FetchedImage(
      URI finalUri, byte[] bytes, String contentType, ByteBudget.Reservation reservation)
      implements AutoCloseable {

    public FetchedImage(URI finalUri, byte[] bytes, String contentType) {
      this(finalUri, bytes, contentType, null);
    }

    /** Releases the body's share of the byte budget; the bytes must not be used afterwards. */
    @Override
    public void close() {
      if (reservation != null) {
        reservation.close();
      }
    }
  }

  /**
   * Longest wait a source's {@code Retry-After} may ever impose before a retry; {@code
   * imgpress.fetch.max-retry-after} (this by default) may lower it.
   */
  Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
}
