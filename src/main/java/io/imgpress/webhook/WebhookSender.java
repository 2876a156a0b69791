package io.imgpress.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Sends one webhook delivery.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>POSTs the body as {@code application/json} with the given headers, to an address the
 *       outbound guard allows; redirects are not followed;
 *   <li>a 2xx status is a delivery; any other status, no answer, an address the guard refuses, or a
 *       URL it cannot send to is a failed delivery with a short reason fit for the status page
 *       (never a resolved address);
 *   <li>the status decides: the answer's body is never waited for;
 *   <li>it ends within its deadline ({@code imgpress.webhook.timeout}), whatever the receiver does:
 *       connect, send, status line and headers together; a delivery stopped by it fails with {@link
 *       #noAnswerWithin};
 *   <li>it never throws for a failed delivery.
 * </ul>
 */
public interface WebhookSender {

  Delivery send(URI url, byte[] body, Map<String, String> headers);

  /** The reason of a delivery that ran out of time, the same wherever the deadline struck. */
  static String noAnswerWithin(Duration deadline) {
    long millis = deadline.toMillis();
    return "no answer within " + (millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms");
  }

  record Delivery(boolean delivered, String error) {
    public static Delivery ok() {
      return new Delivery(true, null);
    }

    public static Delivery failed(String error) {
      return new Delivery(false, error);
    }
  }
}
