package io.imgpress.intake;

import io.imgpress.net.OutboundGuard;
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

  String check(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String url = raw.trim();
    try {
      URI uri = new URI(url);
      if (OutboundGuard.hasAmbiguousHost(uri)) {
        throw new InvalidUploadException("webhookUrl", "webhookUrl" + ImageUrls.AMBIGUOUS_ADDRESS);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && url.length() <= 2048) {
        return url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidUploadException("webhookUrl", "webhookUrl must be an absolute http(s) URL");
  }
}
