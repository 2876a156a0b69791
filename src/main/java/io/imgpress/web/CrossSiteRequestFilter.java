package io.imgpress.web;

import io.imgpress.ImgpressProperties;
import io.imgpress.security.Origins;
import io.imgpress.security.SecurityProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a state-changing request ({@code POST /upload} today) that a browser sends on behalf of a
 * page on another site, with 403 {@code origin-not-allowed}. Without API keys nothing else tells
 * the service's one trusted user from any web page that user visits: such a page could post a form
 * to {@code /upload} from the user's browser (which on an internal network reaches a service the
 * page's author cannot) and have it fetch addresses of the author's choosing.
 *
 * <p>Allowed: no {@code Origin} header at all (curl, scripts, server-side clients; a browser always
 * sends one with a cross-origin POST), this service's own origin (the request's scheme, host and
 * port, or those of {@code imgpress.public-base-url}, for a service behind a proxy), and the
 * origins in {@code imgpress.security.cors.allowed-origins}. Refused: any other origin, the opaque
 * {@code null} origin (sandboxed frames, some redirects), and a request a browser marks {@code
 * Sec-Fetch-Site: cross-site} while sending no origin. Refused before the body is read.
 *
 * <p>With API keys configured ({@link SecurityProperties#apiKeysConfigured()}) a page elsewhere
 * cannot present the user's key (it is a bearer header, never a cookie), so the check is off.
 */
@Component
@Order(SecurityHeadersFilter.ORDER + 10)
class CrossSiteRequestFilter extends OncePerRequestFilter {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final SecurityProperties security;
  private final Set<String> trusted;
  private final JsonMapper json;

  CrossSiteRequestFilter(
      SecurityProperties security, ImgpressProperties imgpress, JsonMapper json) {
    this.security = security;
    this.json = json;
    Set<String> origins = new LinkedHashSet<>(security.cors().allowedOrigins());
    Origins.ofUrl(imgpress.publicBaseUrl()).ifPresent(origins::add);
    this.trusted = Set.copyOf(origins);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return security.apiKeysConfigured() || SAFE_METHODS.contains(request.getMethod());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (allowed(request)) {
      chain.doFilter(request, response);
      return;
    }
    FilterProblems.write(
        response,
        json,
        HttpStatus.FORBIDDEN,
        FilterProblems.ORIGIN_NOT_ALLOWED,
        FilterProblems.ORIGIN_NOT_ALLOWED_TITLE,
        "a browser sent this request for a page on another origin; only this service's own page"
            + " and the origins in imgpress.security.cors.allowed-origins may post here",
        request.getRequestURI());
  }

  boolean allowed(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.ORIGIN);
    if (header == null) {
      return !"cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"));
    }
    Optional<String> origin = Origins.parse(header);
    return origin.isPresent()
        && (trusted.contains(origin.get())
            || origin.equals(
                Origins.of(request.getScheme(), request.getServerName(), request.getServerPort())));
  }
}
