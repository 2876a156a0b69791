package io.imgpress.webhook;

import java.net.URI;
import java.util.Map;

/**
 * Sends one webhook delivery.
 *
 * <p>Contract: POSTs the body as {@code application/json} with the given headers to an address the
 * outbound guard allows, within the configured timeout; never throws for a failed delivery but
 * reports it, with a short reason fit for the status page.
 */
public interface WebhookSender {

  Delivery send(URI url, byte[] body, Map<String, String> headers);

  record Delivery(boolean delivered, String error) {
    public static Delivery ok() {
      return new Delivery(true, null);
    }

    public static Delivery failed(String error) {
      return new Delivery(false, error);
    }
  }
}
