package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {

  private static final long KIB = 1024;

  @Test
  void aReservationGrowsOnlyIntoFreeBytes() throws Exception {
    ByteBudget budget = new ByteBudget(100 * KIB);
    ByteBudget.Reservation first = budget.reserve(30 * KIB);
    ByteBudget.Reservation second = budget.reserve(30 * KIB);

    assertThat(first.tryGrowTo(70 * KIB)).isTrue();
    assertThat(first.bytes()).isEqualTo(70 * KIB);
    assertThat(second.tryGrowTo(40 * KIB)).isFalse();
    assertThat(second.bytes()).isEqualTo(30 * KIB);
    assertThat(second.tryGrowTo(20 * KIB)).isTrue(); // holds that much already
    assertThat(budget.availableBytes()).isZero();

    first.close();
    second.close();
    assertThat(budget.availableBytes()).isEqualTo(budget.capacityBytes());
  }

  @Test
  void growingStopsAtTheWholeBudget() throws Exception {
    ByteBudget budget = new ByteBudget(100 * KIB);
    ByteBudget.Reservation reservation = budget.reserve(10 * KIB);

    assertThat(reservation.tryGrowTo(1_000 * KIB)).isTrue();
    assertThat(reservation.bytes()).isEqualTo(100 * KIB);
  }

  @Test
  void growingDoesNotJumpTheQueue() throws Exception {
    ByteBudget budget = new ByteBudget(100 * KIB);
    ByteBudget.Reservation held = budget.reserve(60 * KIB);
    CompletableFuture<ByteBudget.Reservation> queued = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            queued.complete(budget.reserve(50 * KIB));
          } catch (InterruptedException e) {
            queued.completeExceptionally(e);
          }
        });
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (budget.waiting() == 0 && System.nanoTime() < giveUp) {
      Thread.sleep(1);
    }
    assertThat(budget.waiting()).isEqualTo(1);

    // 10 KiB are free, but someone is queued for more: growing now would starve them.
    assertThat(held.tryGrowTo(70 * KIB)).isFalse();

    held.close();
    assertThat(queued.get(10, TimeUnit.SECONDS).bytes()).isEqualTo(50 * KIB);
  }

  @Test
  void aClosedReservationDoesNotGrow() throws Exception {
    ByteBudget budget = new ByteBudget(100 * KIB);
    ByteBudget.Reservation reservation = budget.reserve(10 * KIB);
    reservation.close();

    assertThat(reservation.tryGrowTo(20 * KIB)).isFalse();
    assertThat(budget.availableBytes()).isEqualTo(budget.capacityBytes());
  }
}
