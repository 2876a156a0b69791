package io.imgpress.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A durable queue of small jobs (an image to process, a webhook to deliver).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #enqueue} is durable once the caller's transaction commits (adapters sharing the
 *       request store's database join that transaction, so a request and its jobs appear together).
 *   <li>{@link #claim} hands a due job to exactly one caller for the lease duration, the kind with
 *       the lowest {@link JobKind#priority} first and, within a kind, the longest due; a job
 *       neither completed nor rescheduled before its lease runs out is handed out again, which is
 *       how work survives a process that died. Delivery is therefore at least once: handlers are
 *       idempotent.
 *   <li>{@link #complete} removes a job; {@link #reschedule} releases it until a later time.
 * </ul>
 */
public interface JobQueue {

  void enqueue(List<Job> jobs);

  Optional<ClaimedJob> claim(Duration lease);

  void complete(ClaimedJob job);

  void reschedule(ClaimedJob job, Instant runAt);

  /** Jobs not yet completed, and when the oldest of them was enqueued (null when none). */
  Depth depth();

  record Job(JobKind kind, String ref, Instant runAt) {}

  record ClaimedJob(long id, JobKind kind, String ref) {}

  record Depth(long jobs, Instant oldestEnqueued) {}
}
