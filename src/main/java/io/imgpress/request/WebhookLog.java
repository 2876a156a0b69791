package io.imgpress.request;

import java.util.UUID;

/**
 * Records webhook delivery attempts on their request, where {@code /status} shows them.
 *
 * <p>Contract: {@link #record} overwrites the request's webhook status, attempt count and last
 * error; it changes nothing on a request without a webhook.
 */
public interface WebhookLog {

  void record(UUID requestId, WebhookStatus status, int attempts, String error);
}
