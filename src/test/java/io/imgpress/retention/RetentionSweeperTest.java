package io.imgpress.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import io.imgpress.storage.local.LocalImageStore;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletion and the retention sweep on the real H2 store and local image store, with a clock the
 * test moves: what goes, what stays, deletions cut short and finished later, several sweepers.
 */
class RetentionSweeperTest {

  static final Duration PERIOD = Duration.ofDays(7);
  static final Duration RECHECK = Duration.ofHours(1);

  @TempDir Path root;
  MutableClock clock = new MutableClock();
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  RequestRepository requests;
  ImageTransitions transitions;
  LocalImageStore local;
  AtomicBoolean storageDown = new AtomicBoolean();
  ImageStore images;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    transitions = JdbcStores.transitions(ds, clock);
    local = new LocalImageStore(root);
    images = new FlakyStore(local, storageDown);
  }

  private RetentionProperties properties(Duration period, int batchSize) {
    return new RetentionProperties(period, Duration.ofMinutes(10), batchSize, RECHECK);
  }

  private RetentionSweeper sweeper(Duration period, int batchSize) {
    RetentionProperties properties = properties(period, batchSize);
    return new RetentionSweeper(
        requests,
        new RequestDeletion(requests, images, properties, registry, clock),
        properties,
        clock);
  }

  /** A request of two images, both completed and stored now. */
  private UUID finished() {
    UUID id = open();
    for (long imageId : imageIds(id)) {
      transitions.start(imageId, "w").orElseThrow();
      local.put(StorageKey.forImage(id, imageId), new byte[] {(byte) 0xFF, (byte) 0xD8});
      transitions.complete(imageId, "w", "/images/" + id + "/" + imageId + ".jpg", 10, 2);
    }
    return id;
  }

  /** A request of two images, expanded and not started. */
  private UUID open() {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            null,
            List.of(new NewProduct(1, "SKU", List.of("http://o.test/1", "http://o.test/2"))));
    requests.stage(request);
    requests.expand(request.id()).orElseThrow();
    return request.id();
  }

  private List<Long> imageIds(UUID id) {
    return requests.products(id).stream()
        .flatMap(p -> p.images().stream())
        .map(i -> i.imageId())
        .toList();
  }

  private boolean hasObjects(UUID id) {
    return root.resolve(id.toString()).toFile().exists()
        && root.resolve(id.toString()).toFile().list().length > 0;
  }

  private double deleted(String reason) {
    var counter = registry.find(RequestDeletion.DELETED).tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void withoutAPeriodNothingIsEverRemoved() {
    UUID id = finished();
    clock.advance(Duration.ofDays(3650));

    assertThat(sweeper(Duration.ZERO, 100).sweep()).isZero();

    assertThat(requests.find(id)).isPresent();
    assertThat(hasObjects(id)).isTrue();
  }

  @Test
  void removesFinishedRequestsOlderThanThePeriodWithTheirImagesAndCountsThem() {
    UUID old = finished();
    UUID unfinished = open();
    clock.advance(PERIOD.minusHours(1));
    UUID young = finished();
    clock.advance(Duration.ofHours(2));

    assertThat(sweeper(PERIOD, 100).sweep()).isEqualTo(1);

    assertThat(requests.find(old)).isEmpty();
    assertThat(hasObjects(old)).isFalse();
    assertThat(requests.find(young)).isPresent();
    assertThat(hasObjects(young)).isTrue();
    assertThat(requests.find(unfinished)).as("never while it is not final").isPresent();
    assertThat(deleted("retention")).isEqualTo(1);
    assertThat(deleted("api")).isZero();
  }

  @Test
  void sweepsInPagesOfTheBatchSize() {
    List<UUID> old = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      old.add(finished());
    }
    clock.advance(PERIOD.plusMinutes(1));

    assertThat(sweeper(PERIOD, 3).sweep()).isEqualTo(7);

    assertThat(old).allMatch(id -> requests.find(id).isEmpty() && !hasObjects(id));
  }

  @Test
  void aDeletionWhoseImagesCouldNotGoIsFinishedByALaterSweep() {
    UUID id = finished();
    RequestDeletion deletion =
        new RequestDeletion(requests, images, properties(Duration.ZERO, 100), registry, clock);
    storageDown.set(true);

    assertThat(deletion.delete(id)).as("the rows went, and that is the answer").isTrue();

    assertThat(requests.find(id)).isEmpty();
    assertThat(hasObjects(id)).isTrue();
    assertThat(requests.deletion(id)).isPresent();
    assertThat(sweeper(Duration.ZERO, 100).sweep()).isZero();
    assertThat(hasObjects(id)).as("still down").isTrue();

    storageDown.set(false);
    clock.advance(Duration.ofMinutes(10));
    sweeper(Duration.ZERO, 100).sweep();

    assertThat(hasObjects(id)).isFalse();
    assertThat(requests.deletion(id)).as("kept for the second look").isPresent();
    assertThat(deleted("api")).isEqualTo(1);
  }

  @Test
  void aSecondLookAfterRecheckRemovesWhatADeadAttemptStoredThenForgetsTheDeletion() {
    UUID id = finished();
    RequestDeletion deletion =
        new RequestDeletion(requests, images, properties(Duration.ZERO, 100), registry, clock);
    assertThat(deletion.delete(id)).isTrue();
    assertThat(hasObjects(id)).isFalse();
    // An attempt that stored its output after the folder was emptied, and died before recording.
    local.put(StorageKey.forImage(id, 999), new byte[] {1});

    clock.advance(RECHECK.minusMinutes(1));
    sweeper(Duration.ZERO, 100).sweep();
    assertThat(hasObjects(id)).as("not due yet").isTrue();

    clock.advance(Duration.ofMinutes(2));
    sweeper(Duration.ZERO, 100).sweep();
    assertThat(hasObjects(id)).isFalse();
    assertThat(requests.deletion(id)).as("done for good").isEmpty();
    assertThat(requests.deletionsDue(clock.instant().plus(Duration.ofDays(1)), 10)).isEmpty();
  }

  @Test
  void deletingAnUnknownOrDeletedRequestIsFalse() {
    UUID id = finished();
    RequestDeletion deletion =
        new RequestDeletion(requests, images, properties(Duration.ZERO, 100), registry, clock);

    assertThat(deletion.delete(id)).isTrue();
    assertThat(deletion.delete(id)).isFalse();
    assertThat(deletion.delete(UUID.randomUUID())).isFalse();
    assertThat(deleted("api")).isEqualTo(1);
  }

  @Test
  void severalSweepersAtOnceRemoveEachRequestOnce() throws Exception {
    List<UUID> old = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      old.add(finished());
    }
    clock.advance(PERIOD.plusMinutes(1));
    List<Callable<Integer>> sweeps = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RetentionSweeper sweeper = sweeper(PERIOD, 5);
      sweeps.add(sweeper::sweep);
    }

    int total = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (Future<Integer> done : pool.invokeAll(sweeps)) {
        total += done.get();
      }
    }

    assertThat(total).isEqualTo(30);
    assertThat(deleted("retention")).isEqualTo(30);
    assertThat(old).allMatch(id -> requests.find(id).isEmpty() && !hasObjects(id));
  }

  /** The local store, failing every deletion while {@code down}. */
  private record FlakyStore(LocalImageStore store, AtomicBoolean down) implements ImageStore {

    @Override
    public Stored put(StorageKey key, byte[] bytes) {
      return store.put(key, bytes);
    }

    @Override
    public Optional<StoredImage> get(StorageKey key) {
      return store.get(key);
    }

    @Override
    public void delete(StorageKey key) {
      check();
      store.delete(key);
    }

    @Override
    public int deleteRequest(UUID requestId) {
      check();
      return store.deleteRequest(requestId);
    }

    @Override
    public void checkHealth() {
      store.checkHealth();
    }

    private void check() {
      if (down.get()) {
        throw new UncheckedIOException(new java.io.IOException("storage unreachable"));
      }
    }
  }
}
