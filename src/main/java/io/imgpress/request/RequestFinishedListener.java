package io.imgpress.request;

import java.util.UUID;

/**
 * Told when a request's last image became final, inside the transaction that made it so: what a
 * listener writes commits or rolls back with that transition.
 */
public interface RequestFinishedListener {

  void requestFinished(UUID requestId, RequestStatus status);
}
