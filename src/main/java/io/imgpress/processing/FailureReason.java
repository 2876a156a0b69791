package io.imgpress.processing;

import java.util.Locale;

/**
 * Why an image failed, as one of a small fixed set: what metrics and alerts group failures by. The
 * failure's message carries the particulars, which would make an unbounded metric tag.
 */
public enum FailureReason {
  /** The source answered 4xx (429 included). */
  HTTP_4XX,
  /** The source answered 5xx. */
  HTTP_5XX,
  /**
   * Connecting, reading, waiting for a pooled connection or the whole download (the total timeout)
   * took too long.
   */
  TIMEOUT,
  /** No usable connection: refused, reset, unreachable, unknown host, TLS failure. */
  CONNECTION,
  /** The outbound guard refused the address (loopback, private network, metadata service). */
  FORBIDDEN_ADDRESS,
  /** The body is not an image in an accepted format. */
  NOT_IMAGE,
  /**
   * An image format the running codec engine does not decode (HEIC, AVIF, JPEG XL and JPEG 2000 on
   * the portable engine): the message says which engine does.
   */
  UNSUPPORTED_FORMAT,
  /** The codec could not decode the image. */
  CORRUPT,
  /** Over the byte limit of a download or the pixel limit of an image. */
  TOO_LARGE,
  /** The image declares more frames or pages than {@code imgpress.image.max-frames}. */
  TOO_MANY_FRAMES,
  /**
   * Decoding and encoding the image took longer than {@code imgpress.image.decode-timeout}: a file
   * crafted to be slow, most likely. Not retried.
   */
  DECODE_TIMEOUT,
  /** A fault of this service: storing the output, memory, a bug. */
  INTERNAL,
  /** Anything else (redirect loops, invalid URLs, malformed HTTP). */
  OTHER;

  /** The value of the {@code reason} metric tag. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
