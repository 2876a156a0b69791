package io.imgpress.processing;

import java.net.URI;

/**
 * Downloads one source image.
 *
 * <p>Contract: only {@code http} and {@code https}; every connection, redirects included, goes to
 * an address the outbound guard allows; at most the configured number of redirects; the body is
 * capped at the configured size without reading past the cap. Failures are reported as {@link
 * ImageFailureException}, retryable for connection errors, timeouts, HTTP 5xx and 429, permanent
 * otherwise.
 */
public interface ImageFetcher {

  FetchedImage fetch(URI uri);

  /** The downloaded body and where it finally came from (after redirects). */
  record FetchedImage(URI finalUri, byte[] bytes, String contentType) {}
}
