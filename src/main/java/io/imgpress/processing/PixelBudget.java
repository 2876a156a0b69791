package io.imgpress.processing;

import java.util.concurrent.Semaphore;

/**
 * Caps the decoded pixels in flight across all workers, so that a burst of large images waits its
 * turn instead of exhausting memory. Fair, so a large image is not overtaken forever by small ones;
 * an image larger than the whole budget takes all of it and runs alone.
 */
final class PixelBudget {

  private final int capacity;
  private final Semaphore permits;

  /** Native decoding happens outside the Java heap and streams; 100 MP keeps RSS near 1 GB. */
  static final long NATIVE_AUTO = 100_000_000;

  /**
   * The portable engine holds a decoded raster, an sRGB copy and the encoder's copy on the heap:
   * about 16 bytes a pixel at its peak (8 concurrent 20 MP images under -Xmx512m ran out of heap
   * with a fixed 100 MP budget).
   */
  static final long PORTABLE_BYTES_PER_PIXEL = 16;

  /** The budget an engine gets when none is configured. */
  static long auto(String engine, long maxHeapBytes) {
    long pixels = engine.equals("native") ? NATIVE_AUTO : maxHeapBytes / PORTABLE_BYTES_PER_PIXEL;
    return Math.clamp(pixels, 1, Integer.MAX_VALUE);
  }

  PixelBudget(long pixels) {
    if (pixels < 1 || pixels > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("pixel budget must be 1.." + Integer.MAX_VALUE);
    }
    this.capacity = (int) pixels;
    this.permits = new Semaphore(capacity, true);
  }

  /** Waits until {@code pixels} (at most the whole budget) are free and takes them. */
  Lease acquire(long pixels) throws InterruptedException {
    int taken = (int) Math.clamp(pixels, 1, capacity);
    permits.acquire(taken);
    return new Lease(taken);
  }

  /** Pixels not taken right now. */
  int available() {
    return permits.availablePermits();
  }

  /** Gives the pixels back when closed (once, however often it is closed). */
  final class Lease implements AutoCloseable {

    private int held;

    private Lease(int held) {
      this.held = held;
    }

    @Override
    public void close() {
      if (held > 0) {
        permits.release(held);
        held = 0;
      }
    }
  }
}
