package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PixelBudgetTest {

  private final PixelBudget budget = new PixelBudget(100);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void takesAndGivesBackPixels() throws Exception {
    try (PixelBudget.Lease a = budget.acquire(30);
        PixelBudget.Lease b = budget.acquire(70)) {
      assertThat(budget.available()).isZero();
    }
    assertThat(budget.available()).isEqualTo(100);
  }

  @Test
  void waitsUntilEnoughPixelsAreFree() throws Exception {
    PixelBudget.Lease first = budget.acquire(80);
    Future<PixelBudget.Lease> second = pool.submit(() -> budget.acquire(40));
    assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    first.close();
    second.get(5, TimeUnit.SECONDS).close();
    assertThat(budget.available()).isEqualTo(100);
  }

  @Test
  void letsAnImageLargerThanTheBudgetRunAlone() throws Exception {
    try (PixelBudget.Lease huge = budget.acquire(10_000_000_000L)) {
      assertThat(budget.available()).isZero();
      Future<PixelBudget.Lease> small = pool.submit(() -> budget.acquire(1));
      assertThatThrownBy(() -> small.get(200, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      small.cancel(true);
    }
    assertThat(budget.available()).isEqualTo(100);
  }

  @Test
  void isFairSoALargeImageIsNotOvertakenBySmallOnes() throws Exception {
    PixelBudget.Lease held = budget.acquire(50);
    CountDownLatch largeWaiting = new CountDownLatch(1);
    Future<PixelBudget.Lease> large =
        pool.submit(
            () -> {
              largeWaiting.countDown();
              return budget.acquire(100);
            });
    largeWaiting.await();
    Thread.sleep(100); // let it queue
    // 50 pixels are free, but the large image is first in line.
    Future<PixelBudget.Lease> small = pool.submit(() -> budget.acquire(10));
    assertThatThrownBy(() -> small.get(200, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    held.close();
    large.get(5, TimeUnit.SECONDS).close();
    small.get(5, TimeUnit.SECONDS).close();
    assertThat(budget.available()).isEqualTo(100);
  }

  @Test
  void closingTwiceGivesBackOnce() throws Exception {
    PixelBudget.Lease lease = budget.acquire(60);
    lease.close();
    lease.close();
    assertThat(budget.available()).isEqualTo(100);
  }

  @Test
  void countsAtLeastOnePixelAndRefusesBadBudgets() throws Exception {
    try (PixelBudget.Lease none = budget.acquire(0)) {
      assertThat(budget.available()).isEqualTo(99);
    }
    assertThatThrownBy(() -> new PixelBudget(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PixelBudget(1L << 31))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new PixelBudget(1).available()).isEqualTo(1);
    assertThat(new PixelBudget(Integer.MAX_VALUE).available()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void sizesItselfToTheEngine() {
    assertThat(PixelBudget.auto("native", 512L << 20)).isEqualTo(100_000_000);
    // a 512 MB heap lets one 20 MP image through at a time on the portable engine
    assertThat(PixelBudget.auto("portable", 512L << 20)).isBetween(20_000_000L, 39_999_999L);
    assertThat(PixelBudget.auto("portable", Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }
}
