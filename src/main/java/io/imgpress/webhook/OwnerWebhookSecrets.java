package io.imgpress.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Each owner's webhook secret, for the owner to read ({@code GET /webhook-secret}): derived from
 * the master secret the way the workers derive it to sign ({@link WebhookSigner#ownerSecret}). The
 * master is {@code imgpress.webhook.secret}, or in a process that also delivers webhooks the one it
 * generated; an API-only process without the configured secret cannot tell any.
 */
@Component
public class OwnerWebhookSecrets {

  private final byte[] master;

  OwnerWebhookSecrets(WebhookProperties webhook, ObjectProvider<WebhookSecret> generated) {
    String configured = webhook.secret();
    if (configured != null && !configured.isBlank()) {
      this.master = configured.getBytes(StandardCharsets.UTF_8);
    } else {
      WebhookSecret secret = generated.getIfAvailable();
      this.master = secret == null ? null : secret.key();
    }
  }

  /** The owner's secret in both spellings; empty when this process does not know the master. */
  public Optional<OwnerSecret> of(String owner) {
    if (master == null) {
      return Optional.empty();
    }
    String secret = WebhookSigner.ownerSecret(master, owner);
    return Optional.of(new OwnerSecret(owner, secret, WebhookSigner.standardSecret(secret)));
  }

  /**
   * @param secret the key of {@code X-Imgpress-Signature}: HMAC-SHA256 over this text's bytes
   * @param standardSecret the same key for Standard Webhooks libraries ({@code whsec_...})
   */
  public record OwnerSecret(String owner, String secret, String standardSecret) {}
}
