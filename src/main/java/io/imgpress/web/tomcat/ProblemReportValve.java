package io.imgpress.web.tomcat;

import io.imgpress.web.HttpErrors;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.json.JSONFilter;
import org.apache.tomcat.util.res.StringManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's error report as RFC 9457 {@code application/problem+json} instead of an HTML page. It
 * answers what never reaches the application: requests the connector cannot parse (malformed or
 * over-long request lines and headers) and URIs the container refuses (an encoded slash or NUL),
 * and anything the application's own error handling failed to answer. No stack trace, no server
 * version, and nothing of the request echoed back.
 */
public final class ProblemReportValve extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);

  // The connector's own message for a request line and headers over its buffer, looked up
  // the way the connector does, so the comparison holds in any locale.
  private static final String HEADER_TOO_LARGE =
      StringManager.getManager("org.apache.coyote.http11")
          .getString("iib.requestheadertoolarge.error");

  // Public with a no-argument constructor: a Tomcat host instantiates its report valve by name.
  public ProblemReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As the stock valve: only errors, only once, only while nothing is written and the
    // connection can still take an answer.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean();
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    if (status == 400 && isHeaderTooLarge(throwable)) {
      // One buffer holds the request line and the headers; which one overflowed shows in
      // whether the request line was read at all.
      status = request.getCoyoteRequest().requestURI().isNull() ? 414 : 431;
      response.setStatus(status);
    }
    if (status >= 500 && throwable != null) {
      log.error("Unhandled error", throwable);
    }
    write(response, problem(status));
  }

  private static boolean isHeaderTooLarge(Throwable throwable) {
    return throwable instanceof IllegalArgumentException
        && HEADER_TOO_LARGE.equals(throwable.getMessage());
  }

  static String problem(int status) {
    return "{\"status\":"
        + status
        + ",\"title\":\""
        + JSONFilter.escape(HttpErrors.title(status))
        + "\",\"detail\":\""
        + JSONFilter.escape(HttpErrors.detail(status))
        + "\"}";
  }

  /**
   * What the application's security headers filter sends, for the answers it never sees (the
   * connector refused the request before any filter ran). Only JSON is answered here, so the policy
   * allows nothing at all.
   */
  static void securityHeaders(Response response) {
    setIfAbsent(response, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    setIfAbsent(response, "X-Content-Type-Options", "nosniff");
    setIfAbsent(response, "Referrer-Policy", "no-referrer");
  }

  private static void setIfAbsent(Response response, String name, String value) {
    if (response.getHeader(name) == null) {
      response.setHeader(name, value);
    }
  }

  private void write(Response response, String body) {
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      securityHeaders(response);
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the answer already started; there is no one left to tell.
      log.debug("Could not write the error report", e);
    }
  }
}
