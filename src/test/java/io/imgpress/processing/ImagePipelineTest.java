package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ImagePipelineTest {

  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 0, 0};
  private static final ImageWork WORK =
      new ImageWork(7, UUID.randomUUID(), "https://example.com/a.jpg", 60, 1);

  private final PixelBudget budget = new PixelBudget(1_000);
  private final Map<StorageKey, byte[]> stored = new ConcurrentHashMap<>();
  private final ImageStore store =
      new ImageStore() {
        @Override
        public Stored put(StorageKey key, byte[] bytes) {
          stored.put(key, bytes);
          return new Stored(bytes.length, true);
        }

        @Override
        public Optional<StoredImage> get(StorageKey key) {
          return Optional.empty();
        }

        @Override
        public void checkHealth() {}
      };

  private ImagePipeline pipeline(Codec codec) {
    ImageFetcher fetcher =
        (uri, budget) -> new FetchedImage(URI.create(uri.toString()), JPEG, "image/jpeg");
    return new ImagePipeline(
        fetcher,
        codec,
        budget,
        store,
        new ImageProperties(50_000_000, 50),
        new ProcessingMetrics(new SimpleMeterRegistry()));
  }

  @Test
  void holdsTheProbedPixelsWhileCompressing() {
    int[] availableDuringCompress = new int[1];
    Codec codec =
        new FakeCodec(20, 30) {
          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            availableDuringCompress[0] = budget.available();
            return new EncodedImage(new byte[] {1, 2, 3}, 20, 30);
          }
        };
    ImagePipeline.Result result = pipeline(codec).process(WORK);
    assertThat(availableDuringCompress[0]).isEqualTo(1_000 - 600);
    assertThat(budget.available()).isEqualTo(1_000);
    assertThat(result.outputBytes()).isEqualTo(3);
    assertThat(stored).hasSize(1);
  }

  @Test
  void givesThePixelsBackWhenCompressFails() {
    Codec codec =
        new FakeCodec(20, 30) {
          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            throw ImageFailureException.permanent("corrupt image data: test");
          }
        };
    assertThatThrownBy(() -> pipeline(codec).process(WORK))
        .isInstanceOf(ImageFailureException.class);
    assertThat(budget.available()).isEqualTo(1_000);
  }

  @Test
  void aCodecFailureWithoutAReasonIsCorruptWhenPermanentAndInternalWhenRetryable() {
    assertThat(codecFailure(ImageFailureException.permanent("corrupt image data: test")).reason())
        .isEqualTo(FailureReason.CORRUPT);
    assertThat(codecFailure(ImageFailureException.retryable("out of memory")).reason())
        .isEqualTo(FailureReason.INTERNAL);
    assertThat(
            codecFailure(ImageFailureException.permanent(FailureReason.TOO_LARGE, "huge")).reason())
        .isEqualTo(FailureReason.TOO_LARGE);
  }

  private ImageFailureException codecFailure(ImageFailureException thrown) {
    Codec codec =
        new FakeCodec(20, 30) {
          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            throw thrown;
          }
        };
    Throwable failure = catchThrowable(() -> pipeline(codec).process(WORK));
    assertThat(failure).isInstanceOf(ImageFailureException.class).hasMessage(thrown.getMessage());
    return (ImageFailureException) failure;
  }

  @Test
  void takesNoPixelsForAnImageTheGuardRefuses() {
    Codec codec = new FakeCodec(100_000, 100_000);
    assertThatThrownBy(() -> pipeline(codec).process(WORK))
        .isInstanceOf(ImageFailureException.class)
        .hasMessageContaining("too large");
    assertThat(budget.available()).isEqualTo(1_000);
  }

  @Test
  void interruptedWhileWaitingIsRetryable() throws Exception {
    PixelBudget.Lease all = budget.acquire(1_000);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> pipeline(new FakeCodec(10, 10)).process(WORK))
          .isInstanceOfSatisfying(
              ImageFailureException.class, e -> assertThat(e.isRetryable()).isTrue());
      assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
    } finally {
      all.close();
    }
  }

  private static class FakeCodec implements Codec {
    private final int width;
    private final int height;

    FakeCodec(int width, int height) {
      this.width = width;
      this.height = height;
    }

    @Override
    public ImageInfo probe(byte[] source, ImageFormat format) {
      return new ImageInfo(format, width, height);
    }

    @Override
    public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
      return new EncodedImage(new byte[] {1}, width, height);
    }
  }
}
