package io.imgpress.processing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps the bytes of source images held in memory between their download and the end of their
 * encoding, so that a flood of large images slows the fetchers instead of exhausting the heap. A
 * fetcher reserves a body's size before it reads the body; the reservation travels with the bytes
 * and is released once the codec is done with them. Fair, so a large body is not overtaken for ever
 * by small ones; a body larger than the whole budget takes all of it and is held alone.
 *
 * <p>Counted in KiB internally, so a budget of up to 2 TiB fits a semaphore.
 */
public final class ByteBudget {

  private static final long UNIT = 1024;

  private final long capacity;
  private final Semaphore permits;

  public ByteBudget(long bytes) {
    if (bytes < UNIT) {
      throw new IllegalArgumentException("byte budget must be at least 1 KiB");
    }
    this.capacity = Math.min(bytes / UNIT, Integer.MAX_VALUE);
    this.permits = new Semaphore((int) capacity, true);
  }

  /** A budget that never makes anyone wait, for callers that bound memory some other way. */
  public static ByteBudget unlimited() {
    return new ByteBudget(Integer.MAX_VALUE * UNIT);
  }

  /** Waits until {@code bytes} (at most the whole budget) are free and takes them. */
  public Reservation reserve(long bytes) throws InterruptedException {
    int units = units(bytes);
    permits.acquire(units);
    return new Reservation(units);
  }

  public long capacityBytes() {
    return capacity * UNIT;
  }

  public long availableBytes() {
    return permits.availablePermits() * UNIT;
  }

  /** Threads waiting for bytes (an estimate, for metrics and tests). */
  public int waiting() {
    return permits.getQueueLength();
  }

  private int units(long bytes) {
    return (int) Math.clamp((Math.max(0, bytes) + UNIT - 1) / UNIT, 1, capacity);
  }

  /** Reserved bytes; released by {@link #close} (once, however often it is called). */
  public final class Reservation implements AutoCloseable {

    private int held;

    private Reservation(int held) {
      this.held = held;
    }

    /** Gives back what a reservation made before the size was known holds beyond {@code bytes}. */
    public synchronized void shrinkTo(long bytes) {
      int keep = Math.min(held, units(bytes));
      if (keep < held) {
        permits.release(held - keep);
        held = keep;
      }
    }

    /**
     * Takes what this reservation lacks to hold {@code bytes} (at most the whole budget) if it is
     * free right now and nobody is queued for it, without waiting; returns whether it now holds
     * that much. Never waits, so a reader that grows while it reads cannot end up waiting with
     * bytes in hand for bytes that others waiting with bytes in hand hold.
     */
    public synchronized boolean tryGrowTo(long bytes) {
      int want = units(bytes);
      if (want <= held) {
        return true;
      }
      if (held == 0) {
        return false; // closed
      }
      try {
        // The timed form with no wait, unlike tryAcquire(n), keeps the queue's order.
        if (!permits.tryAcquire(want - held, 0, TimeUnit.NANOSECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      held = want;
      return true;
    }

    public synchronized long bytes() {
      return held * UNIT;
    }

    @Override
    public synchronized void close() {
      if (held > 0) {
        permits.release(held);
        held = 0;
      }
    }
  }
}
