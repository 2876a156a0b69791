package io.imgpress;

import java.util.UUID;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Builds the absolute URLs clients see, from {@code imgpress.public-base-url}. */
@Component
public class PublicUrls {

  private final String configured;
  private volatile String base;

  PublicUrls(ImgpressProperties properties) {
    String url = properties.publicBaseUrl();
    this.configured = url == null || url.isBlank() ? null : stripSlash(url.trim());
    this.base = configured == null ? "http://localhost:8080" : configured;
  }

  @EventListener
  void onWebServerStarted(WebServerInitializedEvent event) {
    if (configured == null) {
      base = "http://localhost:" + event.getWebServer().getPort();
    }
  }

  /**
   * {@code path} under the base URL; an output recorded as an absolute URL already (a store's own
   * public URL, such as a CDN's) is returned as it is.
   */
  public String absolute(String path) {
    if (path == null || path.startsWith("https://") || path.startsWith("http://")) {
      return path;
    }
    return base + path;
  }

  public String statusUrl(UUID requestId) {
    return base + "/status/" + requestId;
  }

  public String csvUrl(UUID requestId) {
    return base + "/csv/" + requestId;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
