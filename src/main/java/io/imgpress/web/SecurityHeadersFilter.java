package io.imgpress.web;

import io.imgpress.ImgpressProperties;
import io.imgpress.security.Origins;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The browser security headers, on every answer of the application: the page, the API's JSON, the
 * images, the CSV, the problems of {@link ProblemAdvice} and the error controller, and the
 * management endpoints on this port. They are set before anything else runs, so an error answer
 * keeps them (the container resets the body of an error, not its headers). What the connector
 * refuses before any filter runs gets the same headers from the Tomcat error report valve.
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts, styles, fetches and event streams from this
 *       origin only; no inline script, inline style element or attribute, {@code eval}, plugin,
 *       {@code <base>}, or form posted elsewhere; no framing by any page. Images: only those the
 *       service made, from the origins they are served from: this origin, the origin of {@code
 *       imgpress.public-base-url} (the service's own outputs and previews, when clients reach it
 *       under another name), and the store's public origin when it serves them itself (an S3 {@code
 *       public-base-url}, Cloudinary's delivery host). The page never loads a source URL from a
 *       CSV; it shows the preview the service made from the bytes it fetched. The list is computed
 *       once, from the configuration, at start.
 *   <li>{@code X-Content-Type-Options: nosniff}: a browser never reads a JSON, CSV or image answer
 *       as something else (a script or a page).
 *   <li>{@code Referrer-Policy: no-referrer}: a referrer, even the origin alone that {@code
 *       strict-origin-when-cross-origin} would send, tells a CDN or any other site a link leads to
 *       where this service runs (often an internal host name). The page never needs one, since its
 *       own calls are same-origin and the request id lives in the fragment.
 *   <li>Swagger UI ({@code /swagger-ui.html}, {@code /swagger-ui/}) is a third-party page that sets
 *       inline styles and shows inline {@code data:} images: its paths get the same policy with
 *       {@code 'unsafe-inline'} styles and {@code data:} images added; scripts stay {@code 'self'}
 *       only, so a style cannot run code there either.
 * </ul>
 */
@Component
@Order(SecurityHeadersFilter.ORDER)
class SecurityHeadersFilter extends OncePerRequestFilter {

  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
  static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
  static final String REFERRER_POLICY = "Referrer-Policy";
  static final String NO_REFERRER = "no-referrer";

  private final String pagePolicy;
  private final String swaggerUiPolicy;

  SecurityHeadersFilter(ObjectProvider<ImageStore> stores, ImgpressProperties imgpress) {
    // The worker role serves no images and so has no store bean here; its answers are JSON.
    List<String> images = new ArrayList<>();
    Origins.ofUrl(imgpress.publicBaseUrl()).ifPresent(images::add);
    Optional.ofNullable(stores.getIfAvailable())
        .flatMap(SecurityHeadersFilter::storageOrigin)
        .ifPresent(images::add);
    this.pagePolicy = policy(images, false);
    this.swaggerUiPolicy = policy(images, true);
  }

  /**
   * The origin the store's public URLs point at, from the URL of a sample key: a store's public URL
   * depends on its settings and the key only, and every key shares the origin.
   */
  static Optional<String> storageOrigin(ImageStore store) {
    return store.publicUrl(StorageKey.forImage(new UUID(0, 0), 0)).flatMap(Origins::ofUrl);
  }

  /**
   * @param imageOrigins where images the service made are served from besides this origin
   */
  static String policy(List<String> imageOrigins, boolean swaggerUi) {
    Set<String> sources = new LinkedHashSet<>();
    sources.add("'self'");
    sources.addAll(imageOrigins);
    if (swaggerUi) {
      sources.add("data:");
    }
    String images = String.join(" ", sources);
    return String.join(
        "; ",
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'" + (swaggerUi ? " 'unsafe-inline'" : ""),
        "img-src " + images,
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader(
        CONTENT_SECURITY_POLICY, isSwaggerUi(request) ? swaggerUiPolicy : pagePolicy);
    response.setHeader(CONTENT_TYPE_OPTIONS, "nosniff");
    response.setHeader(REFERRER_POLICY, NO_REFERRER);
    chain.doFilter(request, response);
  }

  private static boolean isSwaggerUi(HttpServletRequest request) {
    String path = request.getServletPath();
    return path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/");
  }

  // Set on the first dispatch already; an error dispatch must not lose or change them.
  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }
}
