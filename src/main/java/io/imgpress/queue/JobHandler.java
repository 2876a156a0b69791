package io.imgpress.queue;

import io.imgpress.queue.JobQueue.ClaimedJob;

/**
 * Does the work of one kind of job. A handler completes or reschedules the job itself (within the
 * same transaction as its state change where it can), and must be idempotent: a job is delivered
 * again when its worker died before finishing it.
 */
public interface JobHandler {

  JobKind kind();

  void handle(ClaimedJob job);
}
