package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.storage.local.LocalImageStore;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import io.imgpress.support.TestImages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker's decisions for one image, on the real JDBC adapters: retry with backoff, fail for
 * good, complete, and tell listeners when the request is finished.
 */
class ImageJobHandlerTest {

  @TempDir Path storeRoot;
  MutableClock clock = new MutableClock();
  DataSource ds;
  RequestRepository requests;
  JobQueue queue;
  ImageTransitions transitions;
  ImagePipeline pipeline;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  ProcessingMetrics metrics;
  ImageJobHandler handler;
  Function<URI, ImageFetcher.FetchedImage> origin;
  List<RequestStatus> finished = new CopyOnWriteArrayList<>();
  UUID requestId;
  long imageId;

  @BeforeEach
  void wire() {
    ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    transitions = JdbcStores.transitions(ds, clock);
    ImageFetcher fetcher = (uri, budget) -> origin.apply(uri);
    Codec codec =
        new Codec() {
          @Override
          public ImageInfo probe(byte[] source, ImageFormat format) {
            return new ImageInfo(format, 8, 8);
          }

          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            return new EncodedImage(new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, 8, 8);
          }
        };
    metrics = new ProcessingMetrics(registry);
    pipeline =
        new ImagePipeline(
            fetcher,
            codec,
            new PixelBudget(100_000_000),
            new LocalImageStore(storeRoot),
            new ImageProperties(50_000_000, 50),
            metrics);
    handler = handler(queue, transitions);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "a", List.of("http://o/1"))));
    requestId = request.id();
    requests.stage(request);
    imageId = requests.expand(requestId).orElseThrow().getFirst();
    queue.enqueue(
        List.of(new JobQueue.Job(JobKind.IMAGE, Long.toString(imageId), clock.instant())));
  }

  private ImageJobHandler handler(JobQueue queue, ImageTransitions transitions) {
    ProcessingProperties properties =
        new ProcessingProperties(
            2,
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofSeconds(1),
            0);
    return new ImageJobHandler(
        transitions,
        pipeline,
        queue,
        new TransactionTemplate(new DataSourceTransactionManager(ds)),
        List.of((id, status) -> finished.add(status)),
        properties,
        metrics,
        clock);
  }

  @Test
  void retriesARetryableFailureLaterAndKeepsItsReason() {
    origin =
        uri -> {
          throw ImageFailureException.retryable("HTTP 503 from source");
        };
    runDueJob();

    Product.Image image = image();
    assertThat(image.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(image.error()).isEqualTo("HTTP 503 from source");
    assertThat(queue.claim(Duration.ofMinutes(1))).as("not before its backoff").isEmpty();
    clock.advance(Duration.ofSeconds(2));
    assertThat(queue.claim(Duration.ofMinutes(1))).isPresent();
    assertThat(finished).isEmpty();
  }

  @Test
  void failsForGoodAfterTheLastAttempt() {
    origin =
        uri -> {
          throw ImageFailureException.retryable("connection refused");
        };
    for (int attempt = 1; attempt <= 3; attempt++) {
      runDueJob();
      clock.advance(Duration.ofMinutes(2));
    }
    assertThat(image().status()).isEqualTo(ImageStatus.FAILED);
    assertThat(image().attempts()).isEqualTo(3);
    assertThat(queue.depth().jobs()).isZero();
    assertThat(finished).containsExactly(RequestStatus.FAILED);
  }

  @Test
  void failsAtOnceOnAPermanentFailure() {
    origin =
        uri -> {
          throw ImageFailureException.permanent("HTTP 404 from source");
        };
    runDueJob();
    assertThat(image().status()).isEqualTo(ImageStatus.FAILED);
    assertThat(image().error()).isEqualTo("HTTP 404 from source");
    assertThat(image().attempts()).isEqualTo(1);
    assertThat(queue.depth().jobs()).isZero();
    assertThat(requests.find(requestId).orElseThrow().status()).isEqualTo(RequestStatus.FAILED);
  }

  @Test
  void completesWithTheStoredOutput() {
    byte[] jpeg = TestImages.jpeg(8, 8, 1);
    origin = uri -> new ImageFetcher.FetchedImage(uri, jpeg, "image/jpeg");
    runDueJob();
    Product.Image image = image();
    assertThat(image.status()).isEqualTo(ImageStatus.COMPLETED);
    assertThat(image.inputBytes()).isEqualTo(jpeg.length);
    assertThat(image.outputBytes()).isEqualTo(3);
    assertThat(storeRoot.resolve(requestId.toString()).resolve(image.imageId() + ".jpg")).exists();
    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
  }

  @Test
  void anUnexpectedErrorFailsTheImageWithoutDetails() {
    origin =
        uri -> {
          throw new IllegalStateException("secret internal detail");
        };
    runDueJob();
    assertThat(image().status()).isEqualTo(ImageStatus.FAILED);
    assertThat(image().error()).isEqualTo("internal error while processing the image");
  }

  /**
   * An image that kills its process mid-attempt (out of memory with ExitOnOutOfMemoryError, a codec
   * crash) comes back after every restart. Past its bound of deliveries it fails with a reason
   * instead of taking the service down again.
   */
  @Test
  void anImageWhoseAttemptsKeepDyingFailsPastItsBoundOfDeliveries() {
    for (int died = 1; died <= 5; died++) {
      JobQueue.ClaimedJob job = queue.claim(Duration.ofMinutes(1)).orElseThrow();
      transitions.start(imageId, job.handle()); // the process dies during this attempt
      clock.advance(Duration.ofMinutes(2));
    }
    AtomicInteger fetches = new AtomicInteger();
    origin =
        uri -> {
          fetches.incrementAndGet();
          return new ImageFetcher.FetchedImage(uri, TestImages.jpeg(8, 8, 1), "image/jpeg");
        };
    JobQueue.ClaimedJob sixth = queue.claim(Duration.ofMinutes(1)).orElseThrow();
    assertThat(sixth.deliveries()).isEqualTo(6);

    handler.handle(sixth);

    assertThat(fetches.get()).as("not tried a sixth time").isZero();
    assertThat(image().status()).isEqualTo(ImageStatus.FAILED);
    assertThat(image().error())
        .isEqualTo(
            "processing was interrupted or retried 5 times; the image may be crashing the"
                + " service");
    assertThat(finished).containsExactly(RequestStatus.FAILED);
    assertThat(queue.depth().jobs()).isZero();
    assertThat(
            registry
                .get(ProcessingMetrics.PROCESSED)
                .tag("outcome", "failed")
                .tag("reason", "internal")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anImageWithinItsBoundOfDeliveriesIsStillTried() {
    for (int died = 1; died <= 4; died++) {
      JobQueue.ClaimedJob job = queue.claim(Duration.ofMinutes(1)).orElseThrow();
      transitions.start(imageId, job.handle());
      clock.advance(Duration.ofMinutes(2));
    }
    byte[] jpeg = TestImages.jpeg(8, 8, 1);
    origin = uri -> new ImageFetcher.FetchedImage(uri, jpeg, "image/jpeg");

    runDueJob();

    assertThat(image().status()).isEqualTo(ImageStatus.COMPLETED);
  }

  @Test
  void aCompletionWriteThatFailsIsRetriedLaterNotFailedForGood() throws Exception {
    AtomicInteger completions = new AtomicInteger();
    ImageTransitions lockTimeoutOnce =
        new ImageTransitions() {
          @Override
          public Optional<ImageWork> start(long imageId, String owner) {
            return transitions.start(imageId, owner);
          }

          @Override
          public boolean handBack(long imageId, String owner) {
            return transitions.handBack(imageId, owner);
          }

          @Override
          public Outcome complete(
              long imageId, String owner, String outputPath, long inputBytes, long outputBytes) {
            if (completions.incrementAndGet() == 1) {
              throw new CannotAcquireLockException("Timeout trying to lock table IMAGES");
            }
            return transitions.complete(imageId, owner, outputPath, inputBytes, outputBytes);
          }

          @Override
          public Outcome fail(long imageId, String owner, String error) {
            return transitions.fail(imageId, owner, error);
          }

          @Override
          public boolean retry(long imageId, String owner, String error) {
            return transitions.retry(imageId, owner, error);
          }
        };
    handler = handler(queue, lockTimeoutOnce);
    byte[] jpeg = TestImages.jpeg(8, 8, 1);
    origin = uri -> new ImageFetcher.FetchedImage(uri, jpeg, "image/jpeg");

    runDueJob();
    assertThat(image().status())
        .as("stored but not recorded: tried again")
        .isEqualTo(ImageStatus.PENDING);
    assertThat(finished).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    runDueJob();

    assertThat(image().status()).isEqualTo(ImageStatus.COMPLETED);
    assertThat(image().outputBytes())
        .isEqualTo(Files.size(storeRoot.resolve(requestId.toString()).resolve(imageId + ".jpg")));
    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
    assertThat(queue.depth().jobs()).isZero();
  }

  /**
   * A worker that lost its job (its lease ran out while its origin hung) finishes after the new
   * holder started. Even where the queue cannot tell the stale holder from the new one (as a
   * message queue may accept a stale receipt), the request store refuses the stale worker: the
   * image has one owner, the new holder completes it, and the request finishes once.
   */
  @Test
  void aStaleWorkerCannotUndoTheNewOwnersAttemptEvenWhereTheQueueCannotTell() throws Exception {
    ImageJobHandler blindHandler = handler(new BlindQueue(queue), transitions);
    CountDownLatch firstFetching = new CountDownLatch(1);
    CountDownLatch secondFetching = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch releaseSecond = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    byte[] jpeg = TestImages.jpeg(8, 8, 1);
    origin =
        uri -> {
          if (calls.incrementAndGet() == 1) {
            firstFetching.countDown();
            awaitQuietly(releaseFirst);
            throw ImageFailureException.retryable("read timed out");
          }
          secondFetching.countDown();
          awaitQuietly(releaseSecond);
          return new ImageFetcher.FetchedImage(uri, jpeg, "image/jpeg");
        };
    try (ExecutorService workers = Executors.newFixedThreadPool(2)) {
      JobQueue.ClaimedJob first = queue.claim(Duration.ofMinutes(1)).orElseThrow();
      Future<?> stale = workers.submit(() -> blindHandler.handle(first));
      assertThat(firstFetching.await(10, TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofMinutes(2)); // the first worker's lease runs out
      JobQueue.ClaimedJob second = queue.claim(Duration.ofMinutes(1)).orElseThrow();
      Future<?> current = workers.submit(() -> blindHandler.handle(second));
      assertThat(secondFetching.await(10, TimeUnit.SECONDS)).isTrue();

      releaseFirst.countDown();
      stale.get(10, TimeUnit.SECONDS);
      assertThat(image().status())
          .as("the stale worker's retry did not take the image back")
          .isEqualTo(ImageStatus.PROCESSING);
      releaseSecond.countDown();
      current.get(10, TimeUnit.SECONDS);
    }

    assertThat(image().status()).isEqualTo(ImageStatus.COMPLETED);
    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
    assertThat(queue.depth().jobs()).isZero();
  }

  /** The JDBC queue with its fencing hidden: every write of a stale holder claims success. */
  private record BlindQueue(JobQueue queue) implements JobQueue {
    @Override
    public void enqueue(List<Job> jobs) {
      queue.enqueue(jobs);
    }

    @Override
    public List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease) {
      return queue.claim(kinds, max, lease);
    }

    @Override
    public boolean renew(ClaimedJob job, Duration lease) {
      queue.renew(job, lease);
      return true;
    }

    @Override
    public boolean complete(ClaimedJob job) {
      queue.complete(job);
      return true;
    }

    @Override
    public boolean reschedule(ClaimedJob job, Instant runAt) {
      queue.reschedule(job, runAt);
      return true;
    }

    @Override
    public Depth depth() {
      return queue.depth();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runDueJob() {
    handler.handle(queue.claim(Duration.ofMinutes(1)).orElseThrow());
  }

  private Product.Image image() {
    return requests.products(requestId).getFirst().images().getFirst();
  }
}
