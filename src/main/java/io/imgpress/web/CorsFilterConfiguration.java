package io.imgpress.web;

import io.imgpress.ImgpressProperties;
import io.imgpress.security.Origins;
import io.imgpress.security.SecurityProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * CORS for the origins in {@code imgpress.security.cors.allowed-origins}: they may call the API
 * from a browser (GET, POST and, for the coming deletion, DELETE; the headers {@code Content-Type},
 * {@code Authorization} for the coming API keys and {@code Last-Event-ID} for event streams) and
 * read {@code Location} and {@code Retry-After}. No credentials: keys travel in a header, never in
 * a cookie. A servlet filter rather than Spring MVC's CORS, so static images and errors answer the
 * same and a refusal is a problem like every other error.
 *
 * <p>With the list empty (the default) there is no CORS at all: browsers keep pages on other
 * origins from reading any answer. Otherwise a request from an origin not on the list, or a
 * preflight asking for another method or header, gets 403 {@code origin-not-allowed}.
 */
@Configuration(proxyBeanMethods = false)
class CorsFilterConfiguration {

  /** The API's paths; not the management endpoints, which browsers elsewhere have no need of. */
  static final List<String> API_PATHS =
      List.of("/upload", "/requests", "/status/**", "/csv/**", "/images/**", "/v3/api-docs/**");

  @Bean
  FilterRegistrationBean<CorsFilter> corsFilter(
      SecurityProperties security, ImgpressProperties imgpress, JsonMapper json) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    List<String> origins = new ArrayList<>(security.cors().allowedOrigins());
    if (!origins.isEmpty()) {
      // The service's own public origin, for its page behind a proxy that hides the scheme.
      Origins.ofUrl(imgpress.publicBaseUrl()).ifPresent(origins::add);
      CorsConfiguration cors = new CorsConfiguration();
      cors.setAllowedOrigins(origins);
      cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE"));
      cors.setAllowedHeaders(
          List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.AUTHORIZATION, "Last-Event-ID"));
      cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER));
      cors.setAllowCredentials(false);
      cors.setMaxAge(3600L);
      API_PATHS.forEach(path -> source.registerCorsConfiguration(path, cors));
    }
    CorsFilter filter = new CorsFilter(source);
    filter.setCorsProcessor(new ProblemCorsProcessor(json));
    FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setOrder(SecurityHeadersFilter.ORDER + 5);
    return registration;
  }

  /** Spring's CORS checks, with a refusal answered as a problem instead of plain text. */
  static final class ProblemCorsProcessor extends DefaultCorsProcessor {

    private final JsonMapper json;

    ProblemCorsProcessor(JsonMapper json) {
      this.json = json;
    }

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
      response.setStatusCode(HttpStatus.FORBIDDEN);
      response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
      response
          .getBody()
          .write(
              FilterProblems.body(
                  json,
                  HttpStatus.FORBIDDEN,
                  FilterProblems.ORIGIN_NOT_ALLOWED,
                  FilterProblems.ORIGIN_NOT_ALLOWED_TITLE,
                  "this origin may not call the API from a browser: it is not in"
                      + " imgpress.security.cors.allowed-origins, or the request uses a method other"
                      + " than GET, POST and DELETE or a header other than Content-Type, Authorization"
                      + " and Last-Event-ID",
                  null));
      response.flush();
    }
  }
}
