package io.imgpress.webhook.http;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.net.OutboundGuard;
import io.imgpress.net.OutboundHttpClients;
import io.imgpress.webhook.WebhookProperties;
import io.imgpress.webhook.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.stereotype.Component;

/**
 * {@link WebhookSender} over the guarded outbound HTTP client: the receiver's address is checked
 * like any image source's, and redirects are not followed (a receiver answers where it is told).
 */
@Component
class HttpWebhookSender implements WebhookSender, AutoCloseable {

  private final CloseableHttpClient http;

  HttpWebhookSender(WebhookProperties webhook, FetchProperties fetch) {
    this.http =
        OutboundHttpClients.create(
            new OutboundHttpClients.Settings(webhook.timeout(), webhook.timeout(), 4),
            new OutboundGuard(fetch.allowPrivateNetworks()));
  }

  @Override
  public Delivery send(URI url, byte[] body, Map<String, String> headers) {
    HttpPost post = new HttpPost(url);
    headers.forEach(post::setHeader);
    post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    try {
      return http.execute(
          post,
          response -> {
            EntityUtils.consumeQuietly(response.getEntity());
            int status = response.getCode();
            return status >= 200 && status < 300
                ? Delivery.ok()
                : Delivery.failed("HTTP " + status + " from receiver");
          });
    } catch (ForbiddenAddressException e) {
      return Delivery.failed(e.clientMessage(url.getHost()));
    } catch (UnknownHostException e) {
      return Delivery.failed("host not found: " + url.getHost());
    } catch (IOException e) {
      return Delivery.failed("no answer: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      return Delivery.failed("delivery failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
