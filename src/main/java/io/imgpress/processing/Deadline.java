package io.imgpress.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The time one image may spend in its codec. Engines ask {@link #expired()} wherever they can stop
 * (between rows, scans, steps), and register with {@link #onExpiry} what stops work they cannot
 * poll from (a native computation); the pipeline's watchdog calls {@link #expire()} at the
 * deadline, so both happen even when the codec's thread is busy in a long call.
 */
public final class Deadline {

  private static final Deadline NONE = new Deadline(Duration.ZERO, Long.MAX_VALUE);

  private final Duration limit;
  private final long end;
  private final List<Runnable> hooks = new ArrayList<>();
  private volatile boolean expired;

  private Deadline(Duration limit, long end) {
    this.limit = limit;
    this.end = end;
  }

  /** No limit: never expires (what the codec methods without a deadline use). */
  public static Deadline none() {
    return NONE;
  }

  /** Expires {@code limit} from now. */
  public static Deadline after(Duration limit) {
    return new Deadline(limit, System.nanoTime() + limit.toNanos());
  }

  /** Whether the time is up; once true, stays true. */
  public boolean expired() {
    if (!expired && this != NONE && System.nanoTime() - end >= 0) {
      expire();
    }
    return expired;
  }

  /** Fails with {@link #failure()} when the time is up. */
  public void check() {
    if (expired()) {
      throw failure();
    }
  }

  /** The failure an engine throws when it stopped because the time was up. */
  public ImageFailureException failure() {
    return ImageFailureException.permanent(
        FailureReason.DECODE_TIMEOUT,
        "decoding took too long: stopped after the limit of " + describe(limit));
  }

  /**
   * Runs {@code hook} once when the time is up, on the thread that notices (at once if it is up
   * already). Close the returned handle when the work the hook would stop has ended; after that the
   * hook never runs, and close waits for a hook that is running.
   */
  public Registration onExpiry(Runnable hook) {
    boolean runNow;
    expired(); // a deadline already past runs the hook at once
    synchronized (hooks) {
      runNow = expired;
      if (!runNow) {
        hooks.add(hook);
      }
    }
    if (runNow) {
      hook.run();
      return () -> {};
    }
    return () -> {
      synchronized (hooks) {
        hooks.remove(hook);
      }
    };
  }

  /** Marks the time as up and runs the registered hooks (once). */
  void expire() {
    if (this == NONE) {
      return;
    }
    // The hooks run under the lock, so that a handle closed meanwhile waits for its hook to end.
    synchronized (hooks) {
      if (expired) {
        return;
      }
      expired = true;
      for (Runnable hook : hooks) {
        hook.run();
      }
      hooks.clear();
    }
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** A registered hook; closing it deregisters the hook. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
