package io.imgpress.processing;

import io.imgpress.queue.JobQueue.ClaimedJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The images claimed and not yet recorded, at most {@code capacity} of them: the window that keeps
 * every stage fed while bounding what one process holds (leases it must renew, metadata in memory).
 */
final class InFlight {

  private final int capacity;
  private final ConcurrentHashMap<String, InFlightImage> images = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  InFlight(int capacity) {
    this.capacity = capacity;
  }

  void add(InFlightImage image) {
    images.put(image.owner(), image);
  }

  void remove(InFlightImage image) {
    if (images.remove(image.owner()) != null) {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  int size() {
    return images.size();
  }

  int room() {
    return Math.max(0, capacity - images.size());
  }

  /** Every image in flight, for handing back those unfinished at stop. */
  List<InFlightImage> images() {
    return List.copyOf(images.values());
  }

  /** The jobs of every image in flight, for renewing their leases. */
  List<ClaimedJob> jobs() {
    return images.values().stream().map(InFlightImage::job).toList();
  }

  /**
   * Waits until there is room for {@code batch} images, or for one while the window is less than
   * half full (so the stages never run dry waiting for a full batch); false if the wait timed out.
   */
  boolean awaitRoom(int batch, Duration timeout) throws InterruptedException {
    return await(timeout, () -> room() >= batch || room() > 0 && images.size() < capacity / 2);
  }

  /** Waits until every image is recorded; false if the wait timed out. */
  boolean awaitEmpty(Duration timeout) throws InterruptedException {
    return await(timeout, images::isEmpty);
  }

  private boolean await(Duration timeout, BooleanSupplier done) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
