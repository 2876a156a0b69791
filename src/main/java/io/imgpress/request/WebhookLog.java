package io.imgpress.request;

import java.util.UUID;

/**
 * Records webhook delivery attempts on their request, where {@code /status} shows them.
 *
 * <p>Contract: {@link #record} sets the request's webhook status, attempt count and last error
 * (shortened to fit), but only forwards:
 *
 * <ul>
 *   <li>{@link WebhookStatus#DELIVERED} and {@link WebhookStatus#FAILED} are final: once either is
 *       recorded, nothing changes any more;
 *   <li>the attempt count never decreases: a {@link WebhookStatus#PENDING} record (a failed attempt
 *       to be retried) with fewer attempts than already recorded is ignored; one with as many is
 *       applied (two runs of the same job after an expired lease make the same attempt);
 *   <li>a settling record ({@code DELIVERED} or {@code FAILED}) applies to any pending webhook and
 *       keeps the larger attempt count: a run that outlived its lease and got through did deliver.
 * </ul>
 *
 * A job runs at least once, so a late or duplicate run may try to record an older state; these
 * rules make that harmless. It changes nothing on an unknown request or one without a webhook.
 */
public interface WebhookLog {

  /**
   * @return whether the record was applied; false when the webhook is final already, is a stale
   *     retry, or does not exist
   */
  boolean record(UUID requestId, WebhookStatus status, int attempts, String error);
}
