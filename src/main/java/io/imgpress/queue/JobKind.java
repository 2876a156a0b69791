package io.imgpress.queue;

/**
 * What a job asks for; its {@code ref} names the request or image concerned. Due jobs are handed
 * out by priority, then by due time, so a new upload is expanded and a finished request's webhook
 * sent without waiting behind thousands of queued images.
 */
public enum JobKind {
  /** ref = request id: expand a staged upload into its images. */
  INTAKE(0),
  /** ref = request id. */
  WEBHOOK(1),
  /** ref = image id. */
  IMAGE(2);

  private final int priority;

  JobKind(int priority) {
    this.priority = priority;
  }

  /** Lower goes first. */
  public int priority() {
    return priority;
  }
}
