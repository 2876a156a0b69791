package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.request.ImageTransitions.ImageWork;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightTest {

  InFlight window = new InFlight(2);

  @Test
  void hasRoomUntilFullAndAgainOnceAnImageLeaves() throws Exception {
    InFlightImage a = image(1);
    InFlightImage b = image(2);
    window.add(a);
    window.add(b);
    assertThat(window.room()).isZero();
    assertThat(window.awaitRoom(1, Duration.ofMillis(10))).isFalse();

    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return window.awaitRoom(1, Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    window.remove(a);

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(window.room()).isEqualTo(1);
    assertThat(window.jobs()).containsExactly(b.job());
    window.remove(a); // a second removal changes nothing
    assertThat(window.size()).isEqualTo(1);
    window.remove(b);
    assertThat(window.awaitEmpty(Duration.ofMillis(10))).isTrue();
  }

  @Test
  void keysImagesByTheirOwnerSoTwoHandOutsOfOneImageAreTwoEntries() {
    window.add(image(1));
    window.add(new InFlightImage(new ClaimedJob("other", JobKind.IMAGE, "1", 2), work(1), null));
    assertThat(window.size()).isEqualTo(2);
  }

  @Test
  void hostIsTheLowerCaseHostAndPortOrTheUrlWhenItHasNoHost() {
    assertThat(image(1, "https://CDN.Example.com/a.jpg").host()).isEqualTo("cdn.example.com:443");
    assertThat(image(1, "http://cdn.example.com:8080/a.jpg").host())
        .isEqualTo("cdn.example.com:8080");
    assertThat(image(1, "not a url").host()).isEqualTo("not a url");
  }

  private static InFlightImage image(long id) {
    return image(id, "http://o.example/" + id);
  }

  private static InFlightImage image(long id, String url) {
    return new InFlightImage(
        new ClaimedJob("lease-" + id, JobKind.IMAGE, Long.toString(id), 1),
        new ImageWork(id, UUID.randomUUID(), url, 50, 1),
        null);
  }

  private static ImageWork work(long id) {
    return new ImageWork(id, UUID.randomUUID(), "http://o.example/" + id, 50, 1);
  }
}
