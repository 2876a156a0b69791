package io.imgpress.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Wakes idle workers when new jobs were enqueued, so they need not wait for the next poll. Every
 * lane is woken, since the signal does not say which kinds were added; a lane gets at most as many
 * wake-ups as it has workers, because a worker that found a job keeps claiming until none is left.
 */
@Component
public class WorkSignal {

  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  public void jobsAdded(int count) {
    for (Waiter waiter : waiters) {
      waiter.wake(count);
    }
  }

  /** A lane of {@code workers} workers waiting for this signal; {@link #remove} it at stop. */
  public Waiter waiter(int workers) {
    Waiter waiter = new Waiter(workers);
    waiters.add(waiter);
    return waiter;
  }

  public void remove(Waiter waiter) {
    waiters.remove(waiter);
  }

  public static final class Waiter {

    private final Semaphore permits = new Semaphore(0);
    private final int workers;

    private Waiter(int workers) {
      this.workers = workers;
    }

    private void wake(int count) {
      int missing = workers - permits.availablePermits();
      if (missing > 0) {
        permits.release(Math.min(count, missing));
      }
    }

    /** Wakes every worker of the lane, for a stop: each then sees it should end. */
    public void wakeAll() {
      wake(workers);
    }

    public boolean await(Duration timeout) throws InterruptedException {
      return permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
