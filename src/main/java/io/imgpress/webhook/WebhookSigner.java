package io.imgpress.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries with HMAC-SHA256 over the secret's bytes, two ways: imgpress's own {@code
 * X-Imgpress-Signature: v1=<hex>} over {@code "{timestamp}.{raw body}"}, and the Standard Webhooks
 * {@code webhook-signature: v1,<base64>} over {@code "{id}.{timestamp}.{raw body}"}, which the
 * spec's published libraries verify with the secret {@code whsec_<base64 of the same bytes>}.
 * Binding the timestamp (and the id) into the signature lets receivers refuse replays.
 *
 * <p>With API keys each owner has a secret of their own, derived from the master secret ({@link
 * #ownerSecret}): every worker computes it without more configuration, and one owner's secret tells
 * nothing of another's or of the master.
 */
public final class WebhookSigner {

  private final SecretKeySpec key;

  public WebhookSigner(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /**
   * The secret of one owner: HMAC-SHA256 of {@code "owner:" + owner} under the master secret, in
   * lower-case hex; signatures use its text's bytes, as they do a configured secret's.
   */
  public static String ownerSecret(byte[] master, String owner) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal(("owner:" + owner).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** A secret's Standard Webhooks spelling, for their libraries: {@code whsec_<base64>}. */
  public static String standardSecret(String secret) {
    return "whsec_" + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The Standard Webhooks {@code webhook-signature} of a delivery. */
  public String signStandard(String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public String sign(long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
