package io.imgpress.queue;

/**
 * The caller's lease on a job was lost: it ran out and the job went to another worker. Thrown
 * inside the transaction that recorded the caller's outcome, so that outcome rolls back and the new
 * holder's work stands.
 */
public final class LeaseLostException extends RuntimeException {

  LeaseLostException(JobQueue.ClaimedJob job) {
    super("lease lost on " + job.kind() + " job for " + job.ref());
  }
}
