package io.imgpress.web;

/** {@code GET /webhook-secret} has no owner's secret to tell. */
class WebhookSecretUnavailableException extends RuntimeException {

  WebhookSecretUnavailableException(String message) {
    super(message);
  }
}
