package io.imgpress.web;

import io.imgpress.security.ApiKeys;
import io.imgpress.security.Caller;
import io.imgpress.security.SecurityProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that authenticates. With {@code imgpress.security.api-keys} set, every call needs
 * {@code Authorization: Bearer <key>} except what is public: the images ({@code /images/**}, behind
 * unguessable paths), the page and its files (it asks for the key itself), health ({@code
 * /actuator/health/**}, for probes and load balancers) and the API description ({@code
 * /v3/api-docs}, Swagger UI). Everything else, the other actuator endpoints on this port included,
 * answers 401 {@code api-key-required} with {@code WWW-Authenticate: Bearer} when the key is
 * missing or unknown. An accepted call carries its {@link Caller} in a request attribute.
 *
 * <p>Without keys every call goes through as {@link Caller#OPEN}, and the start-up log says once,
 * as a warning, that the service is open.
 *
 * <p>Runs after the security headers (so a 401 has them) and after CORS (so a browser's preflight,
 * which never carries the key, is answered first).
 */
@Component
@Order(ApiKeyFilter.ORDER)
class ApiKeyFilter extends OncePerRequestFilter {

  /** After the security headers (+100) and CORS (+105) of the web layer. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 108;

  static final String TYPE = "api-key-required";

  private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);

  /** One file of the page at the root: index.html, app.js, app.css, favicon.svg, ... */
  private static final Pattern PAGE_FILE =
      Pattern.compile("/[A-Za-z0-9_-]+\\.(html|js|css|svg|ico)");

  private final ApiKeys keys;
  private final JsonMapper json;

  ApiKeyFilter(SecurityProperties security, JsonMapper json) {
    this.keys = security.keys();
    this.json = json;
    if (keys.isEmpty()) {
      log.warn(
          "No API keys are configured (imgpress.security.api-keys): this service is open to anyone"
              + " who can reach it, who may upload, and see and download every request");
    } else {
      log.info("API keys required; {} owners: {}", keys.owners().size(), keys.owners());
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return keys.isEmpty() || isPublic(request);
  }

  /** What needs no key; the path as the servlet container decoded and normalised it. */
  static boolean isPublic(HttpServletRequest request) {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    String method = request.getMethod();
    boolean read = "GET".equals(method) || "HEAD".equals(method);
    return read
        && (path.startsWith("/images/")
            || path.equals("/")
            || PAGE_FILE.matcher(path).matches()
            || path.equals("/actuator/health")
            || path.startsWith("/actuator/health/")
            || path.equals("/v3/api-docs")
            || path.startsWith("/v3/api-docs/")
            || path.equals("/v3/api-docs.yaml")
            || path.equals("/swagger-ui.html")
            || path.startsWith("/swagger-ui/"));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> presented = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    Optional<String> owner = presented.flatMap(keys::ownerOf);
    if (owner.isEmpty()) {
      refuse(request, response, presented.isPresent());
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, new Caller(owner.get()));
    try (var _ = MDC.putCloseable("owner", owner.get())) {
      chain.doFilter(request, response);
    }
  }

  /** The token of {@code Bearer <token>} (scheme in any case, RFC 9110), or empty. */
  static Optional<String> bearer(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return Optional.empty();
    }
    String token = value.substring(space + 1).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, boolean presented)
      throws IOException {
    // RFC 6750: a key that was sent but is not valid is an invalid_token.
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        presented
            ? "Bearer realm=\"imgpress\", error=\"invalid_token\""
            : "Bearer realm=\"imgpress\"");
    FilterProblems.write(
        response,
        json,
        HttpStatus.UNAUTHORIZED,
        TYPE,
        "API key required",
        presented
            ? "the API key is not valid; send Authorization: Bearer <key> with a key of"
                + " imgpress.security.api-keys"
            : "this service needs an API key: send Authorization: Bearer <key>",
        request.getRequestURI());
  }
}
