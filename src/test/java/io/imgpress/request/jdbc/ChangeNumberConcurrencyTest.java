package io.imgpress.request.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imgpress.request.ImageStatus;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Workers change images of one request concurrently, each transition in its own transaction as in
 * the service, while a reader follows the request as the event stream does: read the request row,
 * then the images changed between the number it had and the row's. Whenever the reader sees the
 * request final, it must already know every image final.
 */
class ChangeNumberConcurrencyTest {

  static final int IMAGES = 200;
  static final int WORKERS = 4;

  JdbcRequestRepository requests;
  JdbcImageTransitions transitions;
  TransactionTemplate tx;
  UUID id = UUID.randomUUID();
  ConcurrentLinkedQueue<Long> work;

  /** One request of {@link #IMAGES} images, expanded, its image ids queued for the workers. */
  /**
   * A fresh, migrated database; H2 here, PostgreSQL in {@link PostgresChangeNumberConcurrencyTest}.
   */
  DataSource database() {
    return TestDatabase.h2();
  }

  @BeforeEach
  void request() {
    DataSource ds = database();
    MutableClock clock = new MutableClock();
    requests = new JdbcRequestRepository(TestDatabase.client(ds), TestDatabase.template(ds), clock);
    transitions =
        new JdbcImageTransitions(TestDatabase.client(ds), TestDatabase.template(ds), clock);
    tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      urls.add("http://x/" + i);
    }
    requests.stage(new NewRequest(id, 50, null, List.of(new NewProduct(1, "a", urls))));
    work = new ConcurrentLinkedQueue<>(requests.expand(id).orElseThrow());
  }

  @Test
  void aReaderFollowingChangeNumbersMissesNoChange() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (Long image = work.poll(); image != null; image = work.poll()) {
                  long imageId = image;
                  tx.executeWithoutResult(s -> transitions.start(imageId, "w"));
                  if (imageId % 3 == 0) {
                    tx.executeWithoutResult(s -> transitions.retry(imageId, "w", "HTTP 503"));
                    tx.executeWithoutResult(s -> transitions.start(imageId, "w"));
                  }
                  if (imageId % 7 == 0) {
                    tx.executeWithoutResult(s -> transitions.fail(imageId, "w", "HTTP 404"));
                  } else {
                    tx.executeWithoutResult(
                        s ->
                            transitions.complete(
                                imageId, "w", "/images/x/" + imageId + ".jpg", 9, 3));
                  }
                }
              }));
    }

    Follower follower = follow(requests, id);
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    Request request = follower.request();
    Map<Long, Product.Image> known = follower.known();

    assertThat(request.status().isFinal()).isTrue();
    assertThat(known).hasSize(IMAGES);
    assertThat(known.values())
        .allSatisfy(i -> assertThat(i.status()).isIn(ImageStatus.COMPLETED, ImageStatus.FAILED));
    // every image started once or twice, then ended: 2 or 4 changes each
    long retried = known.keySet().stream().filter(i -> i % 3 == 0).count();
    assertThat(request.changeNumber()).isEqualTo(2L * IMAGES + 2 * retried);
    assertThat(known.values())
        .extracting(Product.Image::imageId, Product.Image::status, Product.Image::changeNumber)
        .containsExactlyInAnyOrderElementsOf(
            requests.products(id).getFirst().images().stream()
                .map(i -> tuple(i.imageId(), i.status(), i.changeNumber()))
                .toList());
  }

  /**
   * The same with workers that start and record images in batches of ten, as the staged pipeline
   * does: images of one call share a change number, and the reader still misses none.
   */
  @Test
  void aReaderFollowingChangeNumbersMissesNoChangeMadeInBatches() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      String owner = "w" + w;
      workers.add(
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
                  tx.executeWithoutResult(s -> transitions.startAll(starts));
                  tx.executeWithoutResult(
                      s ->
                          transitions.record(
                              batch.stream()
                                  .filter(i -> i % 3 == 0)
                                  .<ImageTransitions.Change>map(
                                      i -> new ImageTransitions.Retry(i, owner, "HTTP 503"))
                                  .toList()));
                  tx.executeWithoutResult(s -> transitions.startAll(starts));
                  tx.executeWithoutResult(
                      s ->
                          transitions.record(
                              batch.stream()
                                  .<ImageTransitions.Change>map(
                                      i ->
                                          i % 7 == 0
                                              ? new ImageTransitions.Failure(i, owner, "HTTP 404")
                                              : new ImageTransitions.Completion(
                                                  i, owner, "/images/x/" + i + ".jpg", 9, 3))
                                  .toList()));
                } while (!batch.isEmpty());
              }));
    }
    Follower follower = follow(requests, id);
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();

    assertThat(follower.request().status().isFinal()).isTrue();
    assertThat(follower.known()).hasSize(IMAGES);
    assertThat(follower.known().values())
        .extracting(Product.Image::imageId, Product.Image::status, Product.Image::changeNumber)
        .containsExactlyInAnyOrderElementsOf(
            requests.products(id).getFirst().images().stream()
                .map(i -> tuple(i.imageId(), i.status(), i.changeNumber()))
                .toList());
    Request done = requests.find(id).orElseThrow();
    assertThat(done.processedImages()).isEqualTo(IMAGES);
    assertThat(done.failedImages())
        .isEqualTo((int) follower.known().keySet().stream().filter(i -> i % 7 == 0).count());
  }

  private record Follower(Request request, Map<Long, Product.Image> known) {}

  /** Reads as the event stream does until the request is final, keeping each image's latest. */
  private static Follower follow(JdbcRequestRepository requests, UUID id) {
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
