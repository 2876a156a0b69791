package io.imgpress.queue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the worker pool runs. Workers come in lanes: each lane has workers of its own that claim only
 * its kinds of job, so jobs that hang (a webhook receiver holding its connection open) can take no
 * more than their own lane's workers. The composition root builds it from the features' settings,
 * so the queue needs no settings of its features' kind.
 *
 * @param lanes the lanes; a kind of job in no lane is never claimed
 * @param lease how long a claimed job stays with its worker without news from it; while the job
 *     runs its worker renews the lease every third of that, so only a worker that died or hangs in
 *     a renewal loses its job
 * @param pollInterval how often idle workers look for due jobs (new jobs wake them at once)
 * @param stopTimeout how long running jobs may take to finish once the workers stop claiming; the
 *     jobs still running then go back to the queue, due at once
 */
public record WorkerSettings(
    List<Lane> lanes, Duration lease, Duration pollInterval, Duration stopTimeout) {

  /** The default stop timeout, as {@code imgpress.processing.stop-timeout} has it. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  public WorkerSettings {
    lanes = List.copyOf(lanes);
    if (lease.toMillis() < 3) {
      throw new IllegalArgumentException("lease too short to renew: " + lease);
    }
    if (stopTimeout.isNegative()) {
      throw new IllegalArgumentException("negative stop timeout: " + stopTimeout);
    }
  }

  public WorkerSettings(List<Lane> lanes, Duration lease, Duration pollInterval) {
    this(lanes, lease, pollInterval, DEFAULT_STOP_TIMEOUT);
  }

  /**
   * @param name names the lane's threads ({@code imgpress-{name}-1}, …)
   * @param kinds the jobs it claims, the lowest {@link JobKind#priority} first
   * @param workers jobs of the lane in flight at once
   */
  public record Lane(String name, Set<JobKind> kinds, int workers) {

    public Lane {
      kinds = Set.copyOf(kinds);
      if (workers < 1 || kinds.isEmpty()) {
        throw new IllegalArgumentException("a lane needs workers and kinds: " + name);
      }
    }
  }
}
