package io.imgpress.queue;

import java.time.Duration;

/**
 * How the worker pool runs; the owner of the work (processing) supplies it as a bean, so the queue
 * needs no settings of its own features' kind.
 *
 * @param workers jobs in flight at once
 * @param lease how long a claimed job stays with its worker before it is handed out again
 * @param pollInterval how often idle workers look for due jobs (new jobs wake them at once)
 */
public record WorkerSettings(int workers, Duration lease, Duration pollInterval) {}
