package io.imgpress.queue;

import io.imgpress.queue.JobQueue.Job;
import java.time.Duration;
import java.util.List;

/**
 * The jobs a store recorded together with the state changes that cause them, waiting to be relayed
 * to the configured {@link JobQueue}: a staged upload's intake job, an expanded request's image
 * jobs, a finished request's webhook job. The store is the source of truth, so no job is lost
 * between a state change and the queue write, whatever the queue is and whichever process dies.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>A store operation that causes jobs records them as one {@link Entry} atomically with its
 *       state change (or, where the store cannot make two writes atomic, records the entry first
 *       and makes it takeable once the change is done, and makes a stranded entry takeable later):
 *       an entry's jobs never reach the queue before the change that caused them is visible.
 *   <li>{@link #take} hands out untaken entries, oldest first, each to one caller until {@code
 *       lease} runs out; {@link #relayed} removes them. An entry whose relay died is taken again
 *       after its lease, so a job may reach the queue twice, never zero times.
 *   <li>{@link #openWork} lists, from the state alone, every job the store still needs done: what a
 *       queue that lost its data (a Redis restarted without persistence) must be given again. Entry
 *       ids and cursors are opaque to callers.
 * </ul>
 */
public interface JobOutbox {

  /** Up to {@code limit} entries not yet relayed, oldest first, leased to the caller. */
  List<Entry> take(int limit, Duration lease);

  /** Forgets entries whose jobs are now in the queue. */
  void relayed(List<Entry> entries);

  /**
   * A page of the jobs the store's state still needs: an {@code INTAKE} job per staged request not
   * yet expanded or final, an {@code IMAGE} job per image not final (ranked by its position in its
   * request), a {@code WEBHOOK} job per final request whose webhook is pending. Due now.
   *
   * @param cursor null for the first page, else the previous page's {@link Page#next}
   */
  Page openWork(String cursor, int limit);

  /** The jobs one state change caused. */
  record Entry(String id, List<Job> jobs) {}

  /**
   * @param next the cursor of the following page; null when this is the last
   */
  record Page(List<Job> jobs, String next) {}
}
