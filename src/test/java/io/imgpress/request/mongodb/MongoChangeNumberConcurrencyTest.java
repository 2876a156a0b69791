package io.imgpress.request.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.support.MutableClock;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's ChangeNumberConcurrencyTest on MongoDB: workers (each with its own adapters, as
 * separate processes would be, on one server) change images of one request concurrently while a
 * reader follows the request as the event stream does: read the request, then the images changed
 * between the number it had and the request's. Whenever the reader sees the request final, it must
 * already know every image final, and the counters must be exact.
 */
class MongoChangeNumberConcurrencyTest {

  static final int IMAGES = 200;
  static final int WORKERS = 4;

  MongoTestServer.Stores stores;
  UUID id = UUID.randomUUID();
  ConcurrentLinkedQueue<Long> work;
  List<MongoImageTransitions> workers = new ArrayList<>();

  @BeforeEach
  void request() {
    MutableClock clock = new MutableClock();
    stores = MongoTestServer.stores(clock);
    for (int w = 0; w < WORKERS; w++) {
      workers.add(new MongoImageTransitions(stores.store(), stores.outbox(), clock));
    }
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      urls.add("http://x/" + i);
    }
    stores
        .requests()
        .stage(new NewRequest(id, 50, "http://hook.test/x", List.of(new NewProduct(1, "a", urls))));
    work = new ConcurrentLinkedQueue<>(stores.requests().expand(id).orElseThrow());
  }

  @Test
  void aReaderFollowingChangeNumbersMissesNoChange() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      MongoImageTransitions transitions = workers.get(w);
      running.add(
          pool.submit(
              () -> {
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
              }));
    }

    Follower follower = follow(stores.requests(), id);
    for (Future<?> worker : running) {
      worker.get();
    }
    pool.shutdown();
    Request request = follower.request();
    Map<Long, Product.Image> known = follower.known();

    assertThat(request.status().isFinal()).isTrue();
    assertThat(known).hasSize(IMAGES);
    assertThat(known.values())
        .allSatisfy(i -> assertThat(i.status()).isIn(ImageStatus.COMPLETED, ImageStatus.FAILED));
    long retried = known.keySet().stream().filter(i -> i % 3 == 0).count();
    assertThat(request.changeNumber()).isEqualTo(2L * IMAGES + 2 * retried);
    assertThat(known.values())
        .extracting(Product.Image::imageId, Product.Image::status, Product.Image::changeNumber)
        .containsExactlyInAnyOrderElementsOf(current());
    assertCounted(known);
  }

  /** The same with batches of ten, as the staged pipeline does. */
  @Test
  void aReaderFollowingChangeNumbersMissesNoChangeMadeInBatches() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      String owner = "w" + w;
      MongoImageTransitions transitions = workers.get(w);
      running.add(
          pool.submit(
              () -> {
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
              }));
    }
    Follower follower = follow(stores.requests(), id);
    for (Future<?> worker : running) {
      worker.get();
    }
    pool.shutdown();

    assertThat(follower.request().status().isFinal()).isTrue();
    assertThat(follower.known()).hasSize(IMAGES);
    assertThat(follower.known().values())
        .extracting(Product.Image::imageId, Product.Image::status, Product.Image::changeNumber)
        .containsExactlyInAnyOrderElementsOf(current());
    assertCounted(follower.known());
  }

  private List<org.assertj.core.groups.Tuple> current() {
    return stores.requests().products(id).getFirst().images().stream()
        .map(i -> tuple(i.imageId(), i.status(), i.changeNumber()))
        .toList();
  }

  /** Exact counters, and the webhook job recorded exactly once, by the call that finished it. */
  private void assertCounted(Map<Long, Product.Image> known) {
    Request done = stores.requests().find(id).orElseThrow();
    assertThat(done.processedImages()).isEqualTo(IMAGES);
    assertThat(done.failedImages())
        .isEqualTo((int) known.keySet().stream().filter(i -> i % 7 == 0).count());
    assertThat(stores.store().requests.find().first().get("lock")).isNull();
    var webhookJobs =
        stores.outbox().openWork(null, 1000).jobs().stream()
            .filter(j -> j.kind() == io.imgpress.queue.JobKind.WEBHOOK)
            .toList();
    assertThat(webhookJobs).hasSize(1);
    assertThat(
            stores.outbox().take(1000, Duration.ofMinutes(1)).stream()
                .flatMap(e -> e.jobs().stream())
                .filter(j -> j.kind() == io.imgpress.queue.JobKind.WEBHOOK)
                .count())
        .isEqualTo(1);
  }

  private record Follower(Request request, Map<Long, Product.Image> known) {}

  private static Follower follow(MongoRequestRepository requests, UUID id) {
    Map<Long, Product.Image> known = new HashMap<>();
    long seen = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Request request;
    do {
      request = requests.find(id).orElseThrow();
      for (Product.Image image : requests.imagesChanged(id, seen, request.changeNumber())) {
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
