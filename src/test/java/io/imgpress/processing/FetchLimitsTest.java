package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.processing.FetchLimits.HostPausedException;
import io.imgpress.processing.FetchLimits.Permit;
import io.imgpress.support.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class FetchLimitsTest {

  private final MutableClock clock = new MutableClock();

  private FetchLimits limits(int global, int perHost) {
    return new FetchLimits(global, perHost, clock);
  }

  /** Acquires on a virtual thread; the future completes with the permit or the failure. */
  private static CompletableFuture<Permit> acquireLater(FetchLimits limits, String host) {
    CompletableFuture<Permit> result = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            result.complete(limits.acquire(host));
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > giveUp) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(1);
    }
  }

  private static Throwable cause(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void aHostGetsUpToItsCapAndTheNextWaitsForAFreeSlot() throws Exception {
    FetchLimits limits = limits(8, 2);
    Permit first = limits.acquire("a.test");
    limits.acquire("a.test");

    CompletableFuture<Permit> third = acquireLater(limits, "a.test");
    awaitTrue(() -> limits.waiting("a.test") == 1);

    assertThat(third).isNotDone();
    assertThat(limits.inFlight()).isEqualTo(2);
    assertThat(limits.waiting()).isEqualTo(1);

    first.close();

    assertThat(third.get(10, TimeUnit.SECONDS).host()).isEqualTo("a.test");
    assertThat(limits.inFlight()).isEqualTo(2);
    assertThat(limits.waiting()).isZero();
    assertThat(limits.waiting("a.test")).isZero();
  }

  @Test
  void theGlobalCapHoldsAcrossHosts() throws Exception {
    FetchLimits limits = limits(2, 2);
    Permit a = limits.acquire("a.test");
    limits.acquire("b.test");

    CompletableFuture<Permit> c = acquireLater(limits, "c.test");
    awaitTrue(() -> limits.waiting() == 1);

    assertThat(c).isNotDone();
    // It holds c's host slot, not a global one.
    assertThat(limits.waiting("c.test")).isZero();
    assertThat(limits.inFlight()).isEqualTo(2);

    a.close();

    assertThat(c.get(10, TimeUnit.SECONDS).host()).isEqualTo("c.test");
    assertThat(limits.inFlight()).isEqualTo(2);
  }

  @Test
  void closingAPermitTwiceFreesItsSlotsOnce() throws Exception {
    FetchLimits limits = limits(1, 1);
    Permit permit = limits.acquire("a.test");
    permit.close();
    permit.close();

    limits.acquire("b.test");
    CompletableFuture<Permit> next = acquireLater(limits, "c.test");
    awaitTrue(() -> limits.waiting() == 1);

    assertThat(next).isNotDone();
    assertThat(limits.inFlight()).isEqualTo(1);
  }

  @Test
  void aThousandQueuedFetchesForOneHostDoNotStarveAnother() throws Exception {
    FetchLimits limits = limits(4, 2);
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<Void>> busy = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      busy.add(done);
      Thread.startVirtualThread(
          () -> {
            try (Permit permit = limits.acquire("busy.test")) {
              release.await();
            } catch (Throwable t) {
              done.completeExceptionally(t);
            }
            done.complete(null); // after the permit is closed
          });
    }
    awaitTrue(() -> limits.waiting("busy.test") == 998);

    assertThat(limits.inFlight()).isEqualTo(2);
    CompletableFuture<Permit> other1 = acquireLater(limits, "other.test");
    CompletableFuture<Permit> other2 = acquireLater(limits, "other.test");
    Permit first = other1.get(10, TimeUnit.SECONDS);
    Permit second = other2.get(10, TimeUnit.SECONDS);
    assertThat(limits.inFlight()).isEqualTo(4);

    release.countDown();
    first.close();
    second.close();
    CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(limits.inFlight()).isZero();
    assertThat(limits.waiting()).isZero();
    assertThat(limits.trackedHosts()).isZero();
  }

  @Test
  void aPausedHostIsRefusedAtOnceUntilThePauseEnds() throws Exception {
    FetchLimits limits = limits(4, 2);
    Instant until = clock.instant().plusSeconds(30);
    limits.pause("a.test", until);

    Throwable refused = catchThrowable(() -> limits.acquire("a.test"));

    assertThat(refused).isInstanceOf(HostPausedException.class);
    assertThat(((HostPausedException) refused).until()).isEqualTo(until);
    assertThat(limits.pausedUntil("a.test")).contains(until);
    assertThat(limits.pausedHosts()).isEqualTo(1);
    assertThat(limits.inFlight()).isZero();
    assertThat(limits.acquire("b.test").host()).isEqualTo("b.test");

    clock.advance(Duration.ofSeconds(30));

    assertThat(limits.pausedUntil("a.test")).isEmpty();
    assertThat(limits.pausedHosts()).isZero();
    assertThat(limits.acquire("a.test").host()).isEqualTo("a.test");
  }

  @Test
  void aPauseKeepsTheLaterEnd() {
    FetchLimits limits = limits(4, 2);
    Instant now = clock.instant();

    limits.pause("a.test", now.plusSeconds(60));
    limits.pause("a.test", now.plusSeconds(10));
    assertThat(limits.pausedUntil("a.test")).contains(now.plusSeconds(60));

    limits.pause("a.test", now.plusSeconds(90));
    assertThat(limits.pausedUntil("a.test")).contains(now.plusSeconds(90));
    assertThat(limits.pausedHosts()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(60));
    assertThat(limits.pausedUntil("a.test")).contains(now.plusSeconds(90));
  }

  @Test
  void aPauseThatEndedAlreadyChangesNothing() throws Exception {
    FetchLimits limits = limits(4, 2);

    limits.pause("a.test", clock.instant());
    limits.pause("a.test", clock.instant().minusSeconds(5));

    assertThat(limits.pausedUntil("a.test")).isEmpty();
    assertThat(limits.pausedHosts()).isZero();
    assertThat(limits.trackedHosts()).isZero();
    assertThat(limits.acquire("a.test").host()).isEqualTo("a.test");
  }

  @Test
  void aPauseSendsAwayTheWaitersOfThatHostOnly() throws Exception {
    FetchLimits limits = limits(4, 1);
    limits.acquire("a.test");
    Permit b = limits.acquire("b.test");
    CompletableFuture<Permit> waitingForA = acquireLater(limits, "a.test");
    CompletableFuture<Permit> waitingForB = acquireLater(limits, "b.test");
    awaitTrue(() -> limits.waiting("a.test") == 1 && limits.waiting("b.test") == 1);
    Instant until = clock.instant().plusSeconds(120);

    limits.pause("a.test", until);

    Throwable refused = cause(waitingForA);
    assertThat(refused).isInstanceOf(HostPausedException.class);
    assertThat(((HostPausedException) refused).until()).isEqualTo(until);
    assertThat(limits.waiting("a.test")).isZero();
    assertThat(waitingForB).isNotDone();
    assertThat(limits.waiting("b.test")).isEqualTo(1);

    b.close();
    assertThat(waitingForB.get(10, TimeUnit.SECONDS).host()).isEqualTo("b.test");
  }

  @Test
  void aPauseThatBeginsWhileWaitingForAGlobalSlotGivesBothSlotsBack() throws Exception {
    FetchLimits limits = limits(1, 1);
    Permit other = limits.acquire("other.test");
    CompletableFuture<Permit> a = acquireLater(limits, "a.test");
    awaitTrue(() -> limits.waiting() == 1);

    limits.pause("a.test", clock.instant().plusSeconds(5));
    other.close();

    assertThat(cause(a)).isInstanceOf(HostPausedException.class);
    assertThat(limits.inFlight()).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(limits.acquire("a.test").host()).isEqualTo("a.test");
  }

  @Test
  void anInterruptedWaiterLeavesTheQueue() throws Exception {
    FetchLimits limits = limits(4, 1);
    Permit holder = limits.acquire("a.test");
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread waiter =
        Thread.startVirtualThread(
            () -> outcome.complete(catchThrowable(() -> limits.acquire("a.test"))));
    awaitTrue(() -> limits.waiting("a.test") == 1);

    waiter.interrupt();

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(limits.waiting("a.test")).isZero();
    assertThat(limits.waiting()).isZero();
    holder.close();
    assertThat(limits.trackedHosts()).isZero();
    assertThat(limits.inFlight()).isZero();
  }

  @Test
  void hostKeysIgnoreCaseSurroundingSpaceAndATrailingDot() throws Exception {
    FetchLimits limits = limits(4, 1);
    limits.acquire(" Example.COM.:443");

    CompletableFuture<Permit> same = acquireLater(limits, "example.com:443");
    awaitTrue(() -> limits.waiting("EXAMPLE.com:443") == 1);

    assertThat(same).isNotDone();
    assertThat(limits.acquire("example.com:8443").host()).isEqualTo("example.com:8443");
    limits.pause("EXAMPLE.COM:443", clock.instant().plusSeconds(1));
    assertThat(limits.pausedUntil("example.com.:443")).isPresent();
    assertThatThrownBy(() -> limits.acquire(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostOfAUriNamesTheHostAndTheEffectivePort() {
    assertThat(FetchLimits.hostOf(URI.create("https://Img.Example.com/a.jpg")))
        .isEqualTo("img.example.com:443");
    assertThat(FetchLimits.hostOf(URI.create("http://img.example.com/a.jpg")))
        .isEqualTo("img.example.com:80");
    assertThat(FetchLimits.hostOf(URI.create("http://img.example.com:8080/a.jpg")))
        .isEqualTo("img.example.com:8080");
    assertThat(FetchLimits.hostOf(URI.create("http://[::1]:8080/a.jpg"))).isEqualTo("[::1]:8080");
  }

  @Test
  void forgetsHostsOnceNothingIsGoingOnThere() throws Exception {
    FetchLimits limits = limits(4, 2);
    for (int i = 0; i < 1000; i++) {
      limits.acquire("host" + i + ".test").close();
    }
    for (int i = 0; i < 100; i++) {
      limits.pause("paused" + i + ".test", clock.instant().plusSeconds(1 + i));
    }
    assertThat(limits.trackedHosts()).isEqualTo(100);
    assertThat(limits.pausedHosts()).isEqualTo(100);

    clock.advance(Duration.ofSeconds(50));
    assertThat(limits.pausedHosts()).isEqualTo(50);

    clock.advance(Duration.ofSeconds(50));
    assertThat(limits.trackedHosts()).isZero();
    assertThat(limits.pausedHosts()).isZero();
  }

  @Test
  void refusesLimitsBelowOne() {
    assertThatThrownBy(() -> new FetchLimits(0, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FetchLimits(1, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
