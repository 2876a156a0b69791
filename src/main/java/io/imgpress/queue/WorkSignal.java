package io.imgpress.queue;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Wakes idle workers when new jobs were enqueued, so they need not wait for the next poll. */
@Component
public class WorkSignal {

  private final Semaphore permits = new Semaphore(0);

  public void jobsAdded(int count) {
    permits.release(Math.min(count, 1024));
  }

  boolean await(Duration timeout) throws InterruptedException {
    return permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
