package io.imgpress.processing;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/** TEMPORARY stand-in until feat/fetchstage lands: global cap only. */
final class FetchLimits {

  private final Semaphore global;
  private final Clock clock;

  FetchLimits(int maxConcurrent, int maxConcurrentPerHost, Clock clock) {
    this.global = new Semaphore(maxConcurrent, true);
    this.clock = clock;
  }

  Permit acquire(String host) throws InterruptedException {
    global.acquire();
    return new Permit();
  }

  void pause(String host, Instant until) {}

  Optional<Instant> pausedUntil(String host) {
    return Optional.empty();
  }

  int waiting(String host) {
    return 0;
  }

  int waiting() {
    return global.getQueueLength();
  }

  final class Permit implements AutoCloseable {
    private boolean closed;

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        global.release();
      }
    }
  }

  static final class HostPausedException extends RuntimeException {
    private final Instant until;

    HostPausedException(Instant until) {
      super("paused until " + until);
      this.until = until;
    }

    Instant until() {
      return until;
    }
  }
}
