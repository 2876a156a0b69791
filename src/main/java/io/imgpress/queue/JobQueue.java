package io.imgpress.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A durable queue of small jobs (an upload to expand, an image to process, a webhook to deliver).
 * Jobs come from the store's {@link JobOutbox} through the {@link OutboxRelay}; no caller shares a
 * transaction with the queue.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #enqueue} is durable once it returns. A job may be enqueued more than once (a relay
 *       that died after the queue write sends it again); an adapter may drop a job whose kind and
 *       ref it holds already.
 *   <li>{@link #claim} hands each due job to exactly one caller for the lease duration. Among the
 *       kinds asked for, the lowest {@link JobKind#priority} goes first; within a kind, jobs go out
 *       by {@link Job#rank} and then by age, so requests whose jobs are ranked by their position
 *       take turns instead of queueing behind the biggest. A claim costs the same however many jobs
 *       wait.
 *   <li>A claimed job carries an opaque lease {@link ClaimedJob#handle}. {@link #renew}, {@link
 *       #complete} and {@link #reschedule} act only while that lease is the job's current one and
 *       answer false, changing nothing, once it was lost (it ran out and the job went to another
 *       caller): a worker that answers late can never undo its successor's work.
 *   <li>A job whose lease runs out is handed out again, which is how work survives a process that
 *       died. Delivery is therefore at least once; {@link ClaimedJob#deliveries} counts the
 *       hand-outs, this one included, so a handler can give up on a job that keeps killing its
 *       workers.
 * </ul>
 */
public interface JobQueue {

  void enqueue(List<Job> jobs);

  /** Up to {@code max} due jobs of the given kinds, each leased to the caller. */
  List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease);

  /** One due job of any kind. */
  default Optional<ClaimedJob> claim(Duration lease) {
    return claim(EnumSet.allOf(JobKind.class), 1, lease).stream().findFirst();
  }

  /** Extends the lease from now; false when the caller no longer holds it. */
  boolean renew(ClaimedJob job, Duration lease);

  /** Removes the job; false when the caller no longer holds its lease. */
  boolean complete(ClaimedJob job);

  /** Releases the job until {@code runAt}; false when the caller no longer holds its lease. */
  boolean reschedule(ClaimedJob job, Instant runAt);

  /**
   * {@link #renew} for many jobs at once, in one round trip where the adapter can.
   *
   * @return for each job, in order, whether the caller still held its lease
   */
  default List<Boolean> renewAll(List<ClaimedJob> jobs, Duration lease) {
    return jobs.stream().map(job -> renew(job, lease)).toList();
  }

  /**
   * {@link #complete} for many jobs at once, in one round trip where the adapter can.
   *
   * @return for each job, in order, whether the caller still held its lease (and it is now gone)
   */
  default List<Boolean> completeAll(List<ClaimedJob> jobs) {
    return jobs.stream().map(this::complete).toList();
  }

  /**
   * {@link #reschedule} for many jobs at once, in one round trip where the adapter can.
   *
   * @return for each job, in order, whether the caller still held its lease
   */
  default List<Boolean> rescheduleAll(List<Reschedule> jobs) {
    return jobs.stream().map(r -> reschedule(r.job(), r.runAt())).toList();
  }

  /** Jobs not yet completed, and when the oldest of them was enqueued (null when none). */
  Depth depth();

  /**
   * Returns normally when the queue answers, throws otherwise: for the readiness probe, so it must
   * stay cheap however long the queue is (unlike {@link #depth}, which may count every job).
   */
  default void checkHealth() {
    depth();
  }

  /**
   * @param rank order among due jobs of one kind, lower first; the position of an image in its
   *     request, so that several requests advance side by side
   */
  record Job(JobKind kind, String ref, Instant runAt, long rank) {
    public Job(JobKind kind, String ref, Instant runAt) {
      this(kind, ref, runAt, 0);
    }
  }

  /**
   * @param handle the lease, opaque to callers
   * @param deliveries how many times the job was handed out, this time included
   */
  record ClaimedJob(String handle, JobKind kind, String ref, int deliveries) {}

  record Depth(long jobs, Instant oldestEnqueued) {}

  /**
   * A held job to release until {@code runAt}.
   *
   * @param untouched the caller set the job aside without working on it (its source asked us to
   *     wait, or its host is crowded): this hand-out does not count in {@link
   *     ClaimedJob#deliveries}, so setting a job aside never makes it look like one that keeps
   *     killing its workers
   */
  record Reschedule(ClaimedJob job, Instant runAt, boolean untouched) {
    public Reschedule(ClaimedJob job, Instant runAt) {
      this(job, runAt, false);
    }
  }
}
