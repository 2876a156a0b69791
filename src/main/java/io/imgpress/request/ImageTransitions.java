package io.imgpress.request;

import java.util.Optional;
import java.util.UUID;

/**
 * Moves images through their states and keeps the request's counters and status in step.
 *
 * <p>Contract: every method is atomic; a transition from the wrong state changes nothing and says
 * so, which makes redelivered jobs harmless. Counters change only together with the image row they
 * count, so they never drift. When the last image of a request becomes final, the request becomes
 * {@code COMPLETED} (at least one image succeeded) or {@code FAILED} in the same step.
 *
 * <p>Every transition that changes an image also increments its request's {@link
 * Request#changeNumber()} and stamps the image with the new value, in the same step; changes of one
 * request become visible in the order of their numbers. So a reader that saw change number {@code
 * n} learns everything that changed since from {@link RequestRepository#imagesChanged}.
 */
public interface ImageTransitions {

  /** Marks a non-final image processing and counts the attempt; empty if it is already final. */
  Optional<ImageWork> start(long imageId);

  /** processing → completed; the output must already be stored. */
  Outcome complete(long imageId, String outputPath, long inputBytes, long outputBytes);

  /** processing → failed for good. */
  Outcome fail(long imageId, String error);

  /** processing → pending, to be tried again; keeps the error for display. */
  void retry(long imageId, String error);

  /** What a worker needs to process one image. */
  record ImageWork(long imageId, UUID requestId, String inputUrl, int quality, int attempt) {}

  /**
   * Result of a final transition: {@code applied} is false when the image was not processing;
   * {@code requestStatus} is the request's status after it, final when this was its last image.
   */
  record Outcome(boolean applied, UUID requestId, RequestStatus requestStatus) {
    public boolean finishedRequest() {
      return applied && requestStatus.isFinal();
    }
  }
}
