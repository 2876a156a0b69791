package io.imgpress.intake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Checks the form of a webhook URL at upload time. Where it may connect is decided at delivery time
 * by the outbound guard, on the address the name resolves to then.
 */
@Component
class WebhookUrlCheck {

  /** Width of {@code requests.webhook_url}. */
  static final int MAX_LENGTH = 2048;

  String check(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String url = raw.trim();
    if (url.length() > MAX_LENGTH) {
      throw new InvalidUploadException(
          "webhookUrl", "webhookUrl is longer than %d characters".formatted(MAX_LENGTH));
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidUploadException("webhookUrl", "webhookUrl must be an absolute http(s) URL");
  }
}
