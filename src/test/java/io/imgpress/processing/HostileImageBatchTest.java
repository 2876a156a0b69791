package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.imageio.ImageIoCodec;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.OutboxProperties;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.WorkSignal;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.storage.local.LocalImageStore;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * A file crafted to be slow fails alone: in one upload with ordinary images, on a single codec
 * thread with the real portable engine, it fails with a decode timeout after about the limit, and
 * the images queued behind it on that thread complete.
 */
class HostileImageBatchTest {

  // 15 to 22 s of decoding for the portable engine in 62 kB (measured); stopped at 1.5 s with a
  // deadline of 0.3 s: the JDK's libjpeg reads every scan before the first pass it reports.
  private static final byte[] SLOW = HostileImages.manyScanJpeg(1024, 5_000);

  @TempDir Path storeRoot;
  private final MutableClock clock = new MutableClock();
  private final List<RequestStatus> finished = new CopyOnWriteArrayList<>();
  private ImageStages stages;

  @AfterEach
  void stop() {
    if (stages != null) {
      stages.stop();
    }
  }

  @Test
  void aFileCraftedToBeSlowFailsAloneAndTheImagesAfterItComplete() {
    DataSource ds = TestDatabase.h2();
    RequestRepository requests = JdbcStores.requests(ds, clock);
    JobQueue queue = JdbcQueues.queue(ds, clock);
    byte[] ordinary = CodecImages.jpeg(CodecImages.photoLike(200, 150));
    ImageFetcher fetcher =
        (uri, budget) ->
            new ImageFetcher.FetchedImage(
                uri, uri.getPath().equals("/slow.jpg") ? SLOW : ordinary, "image/jpeg");
    ProcessingProperties properties =
        new ProcessingProperties(
            1, // one codec thread: the ordinary images wait behind the slow one
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofMillis(20),
            0,
            32,
            DataSize.ofMegabytes(8),
            1,
            Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    stages =
        new ImageStages(
            queue,
            new WorkSignal(),
            JdbcStores.transitions(ds, clock),
            new OutboxRelay(
                JdbcStores.outbox(ds, clock), queue, new WorkSignal(), OutboxProperties.defaults()),
            List.of((id, status) -> finished.add(status)),
            new ImagePipeline(
                new ImageIoCodec(),
                new PixelBudget(100_000_000),
                new ImageProperties(50_000_000, 50, 1000, Duration.ofSeconds(1), 0)),
            fetcher,
            new LocalImageStore(storeRoot),
            properties,
            new FetchLimits(8, 8, clock),
            new ByteBudget(properties.bufferBytes(0)),
            new ProcessingMetrics(registry),
            registry,
            clock);
    List<String> urls = new ArrayList<>();
    urls.add("http://o.example/slow.jpg");
    IntStream.rangeClosed(1, 8).forEach(i -> urls.add("http://o.example/" + i + ".jpg"));
    NewRequest request =
        new NewRequest(UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "a", urls)));
    requests.stage(request);
    List<JobQueue.Job> jobs = new ArrayList<>();
    for (long id : requests.expand(request.id()).orElseThrow()) {
      jobs.add(new JobQueue.Job(JobKind.IMAGE, Long.toString(id), clock.instant()));
    }
    queue.enqueue(jobs);

    long start = System.nanoTime();
    stages.start();
    await(() -> finished.size() == 1);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    var byUrl =
        requests.products(request.id()).getFirst().images().stream()
            .collect(Collectors.toMap(Product.Image::inputUrl, i -> i));
    Product.Image slow = byUrl.remove("http://o.example/slow.jpg");
    assertThat(slow.status()).isEqualTo(ImageStatus.FAILED);
    assertThat(slow.attempts()).as("a timeout is not retried").isEqualTo(1);
    assertThat(slow.error()).isEqualTo("decoding took too long: stopped after the limit of 1 s");
    assertThat(byUrl.values()).hasSize(8).allMatch(i -> i.status() == ImageStatus.COMPLETED);
    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
    // The decoder was stopped: letting it finish would take 15 s or more.
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(
            registry
                .get("imgpress.images.processed")
                .tag("reason", FailureReason.DECODE_TIMEOUT.tag())
                .counter()
                .count())
        .isEqualTo(1);
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
