package io.imgpress.processing.fetch;

import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.processing.FailureReason;
import io.imgpress.processing.ImageFailureException;
import io.imgpress.processing.ImageFetcher;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.springframework.util.unit.DataSize;

/**
 * Turns what went wrong during a download into a failure the job can act on: retry later or give
 * up. The messages reach the client, so they name the status code or the kind of failure and
 * nothing about this service's internals.
 */
final class RetryClassifier {

  private static final int MAX_CAUSE_DEPTH = 10;

  private RetryClassifier() {}

  /** For a response status the fetcher does not accept as a body or a redirect. */
  static ImageFailureException forStatus(int status) {
    String message = "HTTP " + status + " from source";
    // 429 and 5xx are the server saying "not now"; any other status will not change on retry.
    FailureReason reason =
        switch (status / 100) {
          case 4 -> FailureReason.HTTP_4XX;
          case 5 -> FailureReason.HTTP_5XX;
          default -> FailureReason.OTHER;
        };
    return status == 429 || status >= 500
        ? ImageFailureException.retryable(reason, message)
        : ImageFailureException.permanent(reason, message);
  }

  /**
   * For a refused response that may say when to come back: a 429 or 503 with a valid {@code
   * Retry-After} carries that wait, clamped to {@link ImageFetcher#MAX_RETRY_AFTER}.
   */
  static ImageFailureException forStatus(int status, String retryAfter, Instant now) {
    return forStatus(status, retryAfter, now, MAX_WAIT);
  }

  /**
   * For a refused response that may say when to come back: a 429 or 503 with a valid {@code
   * Retry-After} carries that wait, clamped to {@code max} ({@code
   * imgpress.fetch.max-retry-after}).
   */
  static ImageFailureException forStatus(int status, String retryAfter, Instant now, Duration max) {
    ImageFailureException failure = forStatus(status);
    if (status == 429 || status == 503) {
      retryAfter(retryAfter, now).map(wait -> min(wait, max)).ifPresent(failure::withRetryAfter);
    }
    return failure;
  }

  /**
   * Reads a {@code Retry-After} value (RFC 9110 section 10.2.3): delta-seconds or an HTTP-date in
   * any of its three formats. A date in the past means now; anything else unreadable means the
   * source said nothing.
   */
  static Optional<Duration> retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String trimmed = value.strip();
    Duration wait;
    if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More digits than a long holds is still "a long time".
      wait = trimmed.length() > 12 ? MAX_WAIT : Duration.ofSeconds(Long.parseLong(trimmed));
    } else {
      Instant at = httpDate(trimmed);
      if (at == null) {
        return Optional.empty();
      }
      wait = Duration.between(now, at);
    }
    return Optional.of(wait.isNegative() ? Duration.ZERO : min(wait, MAX_WAIT));
  }

  private static final Duration MAX_WAIT = ImageFetcher.MAX_RETRY_AFTER;

  // IMF-fixdate, then the two obsolete forms recipients must still accept. RFC 850's two-digit
  // year is read as 1970-2069: a date that far off is clamped to "now" or the maximum anyway.
  private static final List<DateTimeFormatter> HTTP_DATES =
      List.of(
          DateTimeFormatter.RFC_1123_DATE_TIME,
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern("EEEE, dd-MMM-")
              .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
              .appendPattern(" HH:mm:ss 'GMT'")
              .toFormatter(Locale.US)
              .withZone(ZoneOffset.UTC),
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern("EEE MMM ppd HH:mm:ss yyyy")
              .toFormatter(Locale.US)
              .withZone(ZoneOffset.UTC));

  private static Instant httpDate(String value) {
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        return format.parse(value, Instant::from);
      } catch (DateTimeException e) {
        // Try the next format.
      }
    }
    return null;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The whole download ran past its deadline; a slow source may well be faster later. */
  static ImageFailureException tooSlow(Duration limit) {
    String shown =
        limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    return ImageFailureException.retryable(
        FailureReason.TIMEOUT, "download took longer than " + shown);
  }

  static ImageFailureException forException(Exception failure, URI uri) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
      ImageFailureException known = known(current, failure, uri);
      if (known != null) {
        return known;
      }
      current = current.getCause();
    }
    // Unrecognised I/O trouble is most likely a network hiccup.
    return ImageFailureException.retryable(FailureReason.CONNECTION, "network error", failure);
  }

  private static ImageFailureException known(Throwable t, Exception failure, URI uri) {
    return switch (t) {
      case ForbiddenAddressException e ->
          ImageFailureException.permanent(
              FailureReason.FORBIDDEN_ADDRESS, e.clientMessage(uri.getHost()), failure);
      // Transient DNS failures exist, but most lookups that fail are typos or dead domains.
      case UnknownHostException e ->
          ImageFailureException.permanent(
              FailureReason.CONNECTION, "host not found: " + uri.getHost(), failure);
      case ConnectionRequestTimeoutException e ->
          ImageFailureException.retryable(
              FailureReason.TIMEOUT, "timed out waiting for a free connection", failure);
      case ConnectTimeoutException e ->
          ImageFailureException.retryable(FailureReason.TIMEOUT, "connection timed out", failure);
      case SocketTimeoutException e ->
          ImageFailureException.retryable(FailureReason.TIMEOUT, "read timed out", failure);
      case ConnectException e ->
          ImageFailureException.retryable(
              FailureReason.CONNECTION,
              mentions(e, "refused") ? "connection refused" : "could not connect",
              failure);
      case NoRouteToHostException e ->
          ImageFailureException.retryable(FailureReason.CONNECTION, "host unreachable", failure);
      // Mostly certificate problems (expired, self-signed, wrong name): retrying will not help.
      case SSLHandshakeException e ->
          ImageFailureException.permanent(
              FailureReason.CONNECTION, "TLS handshake failed", failure);
      case SSLPeerUnverifiedException e ->
          ImageFailureException.permanent(
              FailureReason.CONNECTION, "TLS handshake failed", failure);
      case SSLException e ->
          ImageFailureException.retryable(FailureReason.CONNECTION, "TLS error", failure);
      // A body cut short, most often: a server that lied about the length or died mid-body.
      case ConnectionClosedException e ->
          ImageFailureException.retryable(FailureReason.CONNECTION, closedEarly(e), failure);
      case SocketException e ->
          ImageFailureException.retryable(
              FailureReason.CONNECTION,
              mentions(e, "reset") ? "connection reset" : "connection error",
              failure);
      case ClientProtocolException e ->
          ImageFailureException.permanent(FailureReason.OTHER, "invalid HTTP response", failure);
      default -> null;
    };
  }

  private static String closedEarly(ConnectionClosedException e) {
    if (mentions(e, "content-length")) {
      return "body shorter than its Content-Length (connection closed early)";
    }
    if (mentions(e, "chunk")) {
      return "chunked body cut short (connection closed early)";
    }
    return "connection closed early";
  }

  private static boolean mentions(Exception e, String word) {
    return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains(word);
  }

  static ImageFailureException tooLarge(DataSize max) {
    return ImageFailureException.permanent(
        FailureReason.TOO_LARGE, "image larger than " + readable(max));
  }

  static ImageFailureException tooManyRedirects(int max) {
    return ImageFailureException.permanent(
        FailureReason.OTHER, "too many redirects (more than " + max + ")");
  }

  static ImageFailureException redirectWithoutLocation(int status) {
    return ImageFailureException.permanent(
        FailureReason.OTHER, "HTTP " + status + " redirect without a Location");
  }

  static ImageFailureException invalidRedirect() {
    return ImageFailureException.permanent(FailureReason.OTHER, "invalid redirect location");
  }

  /** For a URL refused before any connection (scheme, missing host). */
  static ImageFailureException invalidUrl(String reason) {
    return ImageFailureException.permanent(FailureReason.OTHER, reason);
  }

  private static String readable(DataSize size) {
    long bytes = size.toBytes();
    if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
      return size.toMegabytes() + " MB";
    }
    if (bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
      return size.toKilobytes() + " KB";
    }
    return bytes + " bytes";
  }
}
