package io.imgpress.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobOutbox;
import io.imgpress.request.NewRequest.NewProduct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers change images of one request concurrently, each call atomic on its own as in the service
 * (each worker with adapters of its own, as separate processes have), while a reader follows the
 * request as the event stream does: read the request, then the images changed between the number it
 * had and the request's. Whenever the reader sees the request final, it must already know every
 * image final; the counters must be exact and the webhook job recorded once. Each store adapter's
 * test extends this.
 */
public abstract class ChangeNumberConcurrencyContract {

  static final int IMAGES = 200;
  static final int WORKERS = 4;

  /** A fresh store; called once per test, before the others. */
  protected abstract void createStore();

  protected abstract RequestRepository requests();

  /** The transitions of worker {@code w}: adapters of its own on the same store. */
  protected abstract ImageTransitions worker(int w);

  protected abstract JobOutbox outbox();

  /** What else the adapter must leave settled once every call returned (locks, markers). */
  protected void assertSettled(UUID requestId) {}

  final UUID id = UUID.randomUUID();
  ConcurrentLinkedQueue<Long> work;

  @BeforeEach
  void request() {
    createStore();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      urls.add("http://x/" + i);
    }
    requests()
        .stage(new NewRequest(id, 50, "http://hook.test/x", List.of(new NewProduct(1, "a", urls))));
    work = new ConcurrentLinkedQueue<>(requests().expand(id).orElseThrow());
  }

  @Test
  void aReaderFollowingChangeNumbersMissesNoChange() throws Exception {
    Follower follower =
        run(
            w -> {
              ImageTransitions transitions = worker(w);
              for (Long image = work.poll(); image != null; image = work.poll()) {
                long imageId = image;
                transitions.start(imageId, "w");
                if (imageId % 3 == 0) {
                  transitions.retry(imageId, "w", "HTTP 503");
                  transitions.start(imageId, "w");
                }
                if (imageId % 7 == 0) {
                  transitions.fail(imageId, "w", "HTTP 404");
                } else {
                  transitions.complete(imageId, "w", "/images/x/" + imageId + ".jpg", 9, 3);
                }
              }
            });

    Map<Long, Product.Image> known = follower.known();
    assertThat(follower.request().status().isFinal()).isTrue();
    assertThat(known).hasSize(IMAGES);
    assertThat(known.values())
        .allSatisfy(i -> assertThat(i.status()).isIn(ImageStatus.COMPLETED, ImageStatus.FAILED));
    // every image started once or twice, then ended: 2 or 4 changes each
    long retried = known.keySet().stream().filter(i -> i % 3 == 0).count();
    assertThat(follower.request().changeNumber()).isEqualTo(2L * IMAGES + 2 * retried);
    assertKnownIsCurrentAndCounted(known);
  }

  /**
   * The same with workers that start and record images in batches of ten, as the staged pipeline
   * does: images of one call share a change number, and the reader still misses none.
   */
  @Test
  void aReaderFollowingChangeNumbersMissesNoChangeMadeInBatches() throws Exception {
    Follower follower =
        run(
            w -> {
              ImageTransitions transitions = worker(w);
              String owner = "w" + w;
              List<Long> batch = new ArrayList<>();
              do {
                batch.clear();
                for (Long image = work.poll();
                    image != null;
                    image = batch.size() < 10 ? work.poll() : null) {
                  batch.add(image);
                }
                List<ImageTransitions.Start> starts =
                    batch.stream().map(i -> new ImageTransitions.Start(i, owner)).toList();
                transitions.startAll(starts);
                transitions.record(
                    batch.stream()
                        .filter(i -> i % 3 == 0)
                        .<ImageTransitions.Change>map(
                            i -> new ImageTransitions.Retry(i, owner, "HTTP 503"))
                        .toList());
                transitions.startAll(starts);
                transitions.record(
                    batch.stream()
                        .<ImageTransitions.Change>map(
                            i ->
                                i % 7 == 0
                                    ? new ImageTransitions.Failure(i, owner, "HTTP 404")
                                    : new ImageTransitions.Completion(
                                        i, owner, "/images/x/" + i + ".jpg", 9, 3))
                        .toList());
              } while (!batch.isEmpty());
            });

    assertThat(follower.request().status().isFinal()).isTrue();
    assertThat(follower.known()).hasSize(IMAGES);
    assertKnownIsCurrentAndCounted(follower.known());
  }

  private interface Worker {
    void work(int w) throws Exception;
  }

  /** Runs the workers while following the request; returns what the follower learnt. */
  private Follower run(Worker body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int n = w;
      workers.add(
          pool.submit(
              () -> {
                body.work(n);
                return null;
              }));
    }
    Follower follower = follow();
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    return follower;
  }

  private void assertKnownIsCurrentAndCounted(Map<Long, Product.Image> known) {
    List<Tuple> current =
        requests().products(id).getFirst().images().stream()
            .map(i -> tuple(i.imageId(), i.status(), i.changeNumber()))
            .toList();
    assertThat(known.values())
        .extracting(Product.Image::imageId, Product.Image::status, Product.Image::changeNumber)
        .containsExactlyInAnyOrderElementsOf(current);
    Request done = requests().find(id).orElseThrow();
    assertThat(done.processedImages()).isEqualTo(IMAGES);
    assertThat(done.failedImages())
        .isEqualTo((int) known.keySet().stream().filter(i -> i % 7 == 0).count());
    assertThat(
            outbox().take(10_000, Duration.ofMinutes(1)).stream()
                .flatMap(e -> e.jobs().stream())
                .filter(j -> j.kind() == JobKind.WEBHOOK))
        .as("the webhook job, recorded once, by the call that finished the request")
        .hasSize(1);
    assertSettled(id);
  }

  private record Follower(Request request, Map<Long, Product.Image> known) {}

  /** Reads as the event stream does until the request is final, keeping each image's latest. */
  private Follower follow() {
    Map<Long, Product.Image> known = new HashMap<>();
    long seen = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Request request;
    do {
      request = requests().find(id).orElseThrow();
      for (Product.Image image : requests().imagesChanged(id, seen, request.changeNumber())) {
        known.merge(
            image.imageId(),
            image,
            (old, now) -> now.changeNumber() > old.changeNumber() ? now : old);
      }
      seen = request.changeNumber();
    } while (!request.status().isFinal() && System.nanoTime() < deadline);
    return new Follower(request, known);
  }
}
