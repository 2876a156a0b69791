package io.imgpress.web;

import io.imgpress.intake.BacklogFullException;
import io.imgpress.intake.CsvError;
import io.imgpress.intake.CsvRejectedException;
import io.imgpress.intake.InvalidUploadException;
import io.imgpress.intake.LimitReachedException;
import io.imgpress.request.Request;
import io.imgpress.request.RequestNotFinalException;
import io.imgpress.request.RequestNotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 {@code application/problem+json}. Domain exceptions know nothing of HTTP;
 * this is the one place that maps them. Unexpected errors are logged with their cause and answered
 * with a generic detail, never a stack trace.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  private static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

  private final int maxParameters;

  ProblemAdvice(@Value("${server.tomcat.max-parameter-count:1000}") int maxParameters) {
    this.maxParameters = maxParameters;
  }

  @ExceptionHandler
  ProblemDetail csvRejected(CsvRejectedException e) {
    HttpStatus status =
        e.reason() == CsvRejectedException.Reason.TOO_LARGE
            ? HttpStatus.CONTENT_TOO_LARGE
            : HttpStatus.BAD_REQUEST;
    List<CsvError> errors = e.errors();
    ProblemDetail problem = problem(status, "invalid-csv", "Invalid CSV", summary(errors, status));
    problem.setProperty(
        "errors",
        errors.stream()
            .map(err -> new ErrorView(err.line(), err.column(), err.message()))
            .toList());
    return problem;
  }

  private static String summary(List<CsvError> errors, HttpStatus status) {
    if (errors.isEmpty()) {
      return status == HttpStatus.CONTENT_TOO_LARGE ? "the CSV is too large" : "invalid CSV";
    }
    CsvError first = errors.getFirst();
    String where = first.line() > 0 ? "line " + first.line() + ": " : "";
    return errors.size() == 1
        ? where + first.message()
        : where + first.message() + " (and " + (errors.size() - 1) + " more errors)";
  }

  @ExceptionHandler
  ProblemDetail invalidUpload(InvalidUploadException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, "invalid-upload", "Invalid upload", e.getMessage());
    problem.setProperty("field", e.field());
    return problem;
  }

  @ExceptionHandler({RequestNotFoundException.class, RequestIds.MalformedIdException.class})
  ProblemDetail notFound(RuntimeException e) {
    return problem(HttpStatus.NOT_FOUND, "request-not-found", "Request not found", e.getMessage());
  }

  @ExceptionHandler
  ProblemDetail notFinal(RequestNotFinalException e) {
    Request r = e.request();
    ProblemDetail problem =
        problem(HttpStatus.CONFLICT, "request-not-final", "Request not finished", e.getMessage());
    // Not "status": that member is the HTTP status (RFC 9457) and would appear twice.
    problem.setProperty("requestStatus", r.status().wire());
    problem.setProperty("totalImages", r.totalImages());
    problem.setProperty("processedImages", r.processedImages());
    problem.setProperty("failedImages", r.failedImages());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail invalidQuery(InvalidQueryException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, "invalid-query", "Invalid query", e.getMessage());
    problem.setProperty("field", e.field());
    return problem;
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> backlogFull(BacklogFullException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "backlog-full",
                "Too much work waiting",
                e.getMessage()));
  }

  @ExceptionHandler
  ProblemDetail webhookSecretUnavailable(WebhookSecretUnavailableException e) {
    return problem(
        HttpStatus.NOT_FOUND,
        "webhook-secret-unavailable",
        "Webhook secret unavailable",
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> limitReached(LimitReachedException e) {
    ProblemDetail problem =
        problem(HttpStatus.TOO_MANY_REQUESTS, "limit-reached", "Limit reached", e.getMessage());
    problem.setProperty("limit", e.limit().property());
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
        .body(problem);
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> tooManyStreams(TooManyStreamsException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "too-many-streams",
                "Too many event streams",
                e.getMessage()));
  }

  /**
   * The store (or the queue's server) cannot be reached or timed out: the caller can do nothing
   * about it but try again, so it is a 503, not a 500 that reads as a bug. The cause goes to the
   * log, one line per answer, since an outage produces many.
   */
  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    TransientDataAccessException.class,
    CannotCreateTransactionException.class
  })
  ResponseEntity<ProblemDetail> unavailable(Exception e) {
    log.warn("Answering 503: a backend is unreachable: {}", mostSpecific(e));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS)
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "temporarily-unavailable",
                "Temporarily unavailable",
                "the service cannot reach its database right now; nothing was changed, try again"
                    + " shortly"));
  }

  private static String mostSpecific(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + cause;
  }

  /** The container could not read the query or form parameters: too many, or badly encoded. */
  @ExceptionHandler
  ProblemDetail invalidParameters(InvalidParameterException e) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "invalid-parameters",
        "Invalid parameters",
        "the query or form parameters cannot be read: there are more than "
            + maxParameters
            + ", or one is not valid percent-encoded UTF-8");
  }

  /** The multipart body cannot be read: no boundary, malformed, or ended before its end. */
  @ExceptionHandler
  ProblemDetail invalidMultipart(MultipartException e, HttpServletRequest request) {
    String detail =
        hasBoundary(request.getContentType())
            ? "the multipart body is malformed or ends before its closing boundary"
            : "a multipart/form-data body needs a boundary parameter in its Content-Type";
    return problem(HttpStatus.BAD_REQUEST, "invalid-multipart", "Invalid multipart body", detail);
  }

  private static boolean hasBoundary(String contentType) {
    try {
      return contentType != null
          && MediaType.parseMediaType(contentType).getParameter("boundary") != null;
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  /**
   * Spring reports Tomcat's limit on the number of parts as an upload size limit; only the size
   * limit is one.
   */
  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof FileCountLimitExceededException parts) {
        return ResponseEntity.badRequest()
            .body(
                problem(
                    HttpStatus.BAD_REQUEST,
                    "too-many-parts",
                    "Too many parts",
                    "the multipart body has more than "
                        + parts.getLimit()
                        + " parts; an upload takes file, webhookUrl, quality, format, maxWidth"
                        + " and maxHeight"));
      }
    }
    return super.handleMaxUploadSizeExceededException(e, headers, status, request);
  }

  /** An error the servlet container raised itself, forwarded to the error page. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> containerError(ContainerErrorException e) {
    ProblemDetail problem = ProblemDetail.forStatus(e.status());
    problem.setTitle(HttpErrors.title(e.status()));
    problem.setDetail(HttpErrors.detail(e.status()));
    return ResponseEntity.status(e.status()).body(problem);
  }

  @ExceptionHandler
  ProblemDetail unexpected(Exception e) {
    log.error("Unhandled error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal-error",
        "Internal error",
        HttpErrors.INTERNAL_ERROR_DETAIL);
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("/problems/" + type));
    problem.setTitle(title);
    return problem;
  }

  @Schema(name = "CsvError", description = "One problem in an uploaded CSV")
  record ErrorView(
      @Schema(
              description =
                  "1-based line where the offending record starts; for a problem with the whole"
                      + " file, where reading stopped",
              example = "2")
          int line,
      @Schema(
              description = "The column at fault; null when the whole row or file is",
              allowableValues = {"S. No.", "Product Name", "Input Image Urls"},
              nullable = true,
              example = "Product Name")
          String column,
      @Schema(description = "What to fix, for a person", example = "empty product name")
          String message) {}
}
