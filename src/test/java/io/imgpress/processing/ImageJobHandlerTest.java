package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
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
import io.imgpress.support.TestImages;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker's decisions for one image, on the real JDBC adapters: retry with backoff, fail for
 * good, complete, and tell listeners when the request is finished.
 */
class ImageJobHandlerTest {

  @TempDir Path storeRoot;
  MutableClock clock = new MutableClock();
  RequestRepository requests;
  JobQueue queue;
  ImageJobHandler handler;
  Function<URI, ImageFetcher.FetchedImage> origin;
  List<RequestStatus> finished = new ArrayList<>();
  UUID requestId;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    ImageFetcher fetcher = uri -> origin.apply(uri);
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
    ImagePipeline pipeline =
        new ImagePipeline(
            fetcher,
            codec,
            new PixelBudget(100_000_000),
            new LocalImageStore(storeRoot),
            new ImageProperties(50_000_000, 50));
    ProcessingProperties properties =
        new ProcessingProperties(
            2,
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofSeconds(1));
    handler =
        new ImageJobHandler(
            JdbcStores.transitions(ds, clock),
            pipeline,
            queue,
            new TransactionTemplate(new DataSourceTransactionManager(ds)),
            List.of((id, status) -> finished.add(status)),
            properties,
            clock);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "a", List.of("http://o/1"))));
    requestId = request.id();
    requests.stage(request);
    long imageId = requests.expand(requestId).orElseThrow().getFirst();
    queue.enqueue(
        List.of(new JobQueue.Job(JobKind.IMAGE, Long.toString(imageId), clock.instant())));
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

  private void runDueJob() {
    handler.handle(queue.claim(Duration.ofMinutes(1)).orElseThrow());
  }

  private Product.Image image() {
    return requests.products(requestId).getFirst().images().getFirst();
  }
}
