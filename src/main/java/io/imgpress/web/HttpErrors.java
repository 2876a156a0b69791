package io.imgpress.web;

import org.springframework.http.HttpStatus;

/**
 * Title and detail of a problem that has nothing but its HTTP status to go on: an error the servlet
 * container or the connector raised before any controller ran (a malformed request line, an encoded
 * slash, a method the container refuses). Shared by the error controller and the container's error
 * report, so a status reads the same whoever answers it.
 */
public final class HttpErrors {

  /** The detail of every unexpected error; the cause goes to the log, never to the client. */
  public static final String INTERNAL_ERROR_DETAIL =
      "the server could not complete the request; it has been logged";

  private HttpErrors() {}

  /** The status's reason phrase, such as {@code Bad Request}. */
  public static String title(int status) {
    HttpStatus known = HttpStatus.resolve(status);
    return known == null ? "HTTP " + status : known.getReasonPhrase();
  }

  /** What went wrong, for a person, in terms of the request they sent. */
  public static String detail(int status) {
    return switch (status) {
      case 400 ->
          "the request breaks HTTP syntax: a malformed request line, header or body, or a path"
              + " with a character that is not allowed there (such as an encoded slash,"
              + " backslash or NUL)";
      case 404 -> "nothing is at this path";
      case 405 -> "this method is not allowed here; the Allow header lists the methods that are";
      case 408 -> "the request did not arrive in time";
      case 413 -> "the request body is larger than the server accepts";
      case 414 -> "the request line, and so the URL, is longer than the server accepts";
      case 431 -> "the request headers are larger than the server accepts";
      case 500 -> INTERNAL_ERROR_DETAIL;
      case 501 -> "the request uses an HTTP feature the server does not implement";
      case 503 -> "the service is unavailable for the moment; try again later";
      case 505 -> "the HTTP version is not supported; use HTTP/1.1";
      default -> "the request failed with HTTP status " + status;
    };
  }
}
