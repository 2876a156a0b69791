package io.imgpress.queue;

/** What a job asks for; its {@code ref} names the image or request concerned. */
public enum JobKind {
  /** ref = image id. */
  IMAGE,
  /** ref = request id. */
  WEBHOOK
}
