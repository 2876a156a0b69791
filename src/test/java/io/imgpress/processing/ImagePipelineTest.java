package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.request.Output;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePipelineTest {

  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 0, 0};

  private final PixelBudget budget = new PixelBudget(1_000);

  private ImagePipeline pipeline(Codec codec) {
    return new ImagePipeline(
        codec, budget, new ImageProperties(50_000_000, 50, 1000, Duration.ofSeconds(30), 320));
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
    EncodedImage result = pipeline(codec).encode(JPEG, Output.jpeg(60));
    assertThat(availableDuringCompress[0]).isEqualTo(1_000 - 600);
    assertThat(budget.available()).isEqualTo(1_000);
    assertThat(result.bytes()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 320, 64})
  void asksTheCodecForThePreviewSizeConfigured(int previewSize) {
    int[] asked = {-1};
    Codec codec =
        new FakeCodec(20, 30) {
          @Override
          public EncodedImage compress(
              byte[] source, ImageFormat format, int quality, int size, Deadline deadline) {
            asked[0] = size;
            return new EncodedImage(new byte[] {1}, 20, 30, size == 0 ? null : new byte[] {2});
          }
        };
    EncodedImage result =
        new ImagePipeline(
                codec,
                budget,
                new ImageProperties(50_000_000, 50, 1000, Duration.ofSeconds(30), previewSize))
            .encode(JPEG, Output.jpeg(60));
    assertThat(asked[0]).isEqualTo(previewSize);
    assertThat(result.preview() == null).isEqualTo(previewSize == 0);
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
    assertThatThrownBy(() -> pipeline(codec).encode(JPEG, Output.jpeg(60)))
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
    Throwable failure = catchThrowable(() -> pipeline(codec).encode(JPEG, Output.jpeg(60)));
    assertThat(failure).isInstanceOf(ImageFailureException.class).hasMessage(thrown.getMessage());
    return (ImageFailureException) failure;
  }

  @Test
  void takesNoPixelsForAnImageTheGuardRefuses() {
    Codec codec = new FakeCodec(100_000, 100_000);
    assertThatThrownBy(() -> pipeline(codec).encode(JPEG, Output.jpeg(60)))
        .isInstanceOf(ImageFailureException.class)
        .hasMessageContaining("too large");
    assertThat(budget.available()).isEqualTo(1_000);
  }

  @Test
  void interruptedWhileWaitingIsRetryable() throws Exception {
    PixelBudget.Lease all = budget.acquire(1_000);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> pipeline(new FakeCodec(10, 10)).encode(JPEG, Output.jpeg(60)))
          .isInstanceOfSatisfying(
              ImageFailureException.class, e -> assertThat(e.isRetryable()).isTrue());
      assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
    } finally {
      all.close();
    }
  }

  @Test
  void refusesAnAnimationOfMoreFramesThanAllowedBeforeTheCodecSeesIt() {
    Codec codec =
        new FakeCodec(10, 10) {
          @Override
          public ImageInfo probe(byte[] source, ImageFormat format) {
            throw new AssertionError("probed");
          }
        };
    ImagePipeline pipeline =
        new ImagePipeline(
            codec, budget, new ImageProperties(50_000_000, 50, 10, Duration.ofSeconds(30), 0));

    assertThatThrownBy(() -> pipeline.encode(FrameCounterTest.gif(11), Output.jpeg(60)))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.TOO_MANY_FRAMES);
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo("too many frames: the GIF declares more than 10, the limit is 10");
            });
  }

  @Test
  void letsAnAnimationOfTheAllowedFramesThrough() {
    ImagePipeline pipeline =
        new ImagePipeline(
            new FakeCodec(10, 10),
            budget,
            new ImageProperties(50_000_000, 50, 10, Duration.ofSeconds(30), 0));

    assertThat(pipeline.encode(FrameCounterTest.gif(10), Output.jpeg(60)).bytes()).hasSize(1);
  }

  @Test
  void aCodecStillWorkingAtTheDeadlineIsToldToStopAndTheImageFailsAsADecodeTimeout() {
    AtomicBoolean toldToStop = new AtomicBoolean();
    Codec codec =
        new FakeCodec(10, 10) {
          @Override
          public EncodedImage compress(
              byte[] source, ImageFormat format, int quality, int previewSize, Deadline deadline) {
            // Like a native call that cannot poll: only the hook can stop it.
            CountDownLatch stop = new CountDownLatch(1);
            try (var hook = deadline.onExpiry(stop::countDown)) {
              toldToStop.set(stop.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            throw deadline.failure();
          }
        };
    ImagePipeline pipeline =
        new ImagePipeline(
            codec, budget, new ImageProperties(50_000_000, 50, 10, Duration.ofMillis(100), 0));

    long start = System.nanoTime();
    assertThatThrownBy(() -> pipeline.encode(JPEG, Output.jpeg(60)))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.DECODE_TIMEOUT);
              assertThat(e.getMessage())
                  .isEqualTo("decoding took too long: stopped after the limit of 100 ms");
            });
    assertThat(toldToStop).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(budget.available()).isEqualTo(1_000);
  }

  @Test
  void aCodecThatCannotStopStillFailsTheImageWhenItEndsPastTheDeadline() {
    Codec codec =
        new FakeCodec(10, 10) {
          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            pause(300);
            return super.compress(source, format, quality);
          }
        };
    ImagePipeline pipeline =
        new ImagePipeline(
            codec, budget, new ImageProperties(50_000_000, 50, 10, Duration.ofMillis(50), 0));

    assertThatThrownBy(() -> pipeline.encode(JPEG, Output.jpeg(60)))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.DECODE_TIMEOUT));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusesAFormatTheCodecDoesNotDecodeBeforeItSeesTheBytes() {
    boolean[] called = {false};
    Codec jpegOnly =
        new FakeCodec(20, 30) {
          @Override
          public Set<ImageFormat> decodes() {
            return Set.of(ImageFormat.JPEG);
          }

          @Override
          public String whyNotDecoded(ImageFormat format) {
            return format + " images need the native engine";
          }

          @Override
          public ImageInfo probe(byte[] source, ImageFormat format) {
            called[0] = true;
            return super.probe(source, format);
          }
        };
    byte[] avif = CodecContract.fixture("halves.avif");

    assertThatThrownBy(() -> pipeline(jpegOnly).encode(avif, Output.jpeg(60)))
        .isInstanceOfSatisfying(
            ImageFailureException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED_FORMAT);
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).isEqualTo("AVIF images need the native engine");
            });
    assertThat(called[0]).isFalse();
    assertThat(budget.available()).isEqualTo(1_000);
    // What it decodes goes on as before.
    assertThat(pipeline(jpegOnly).encode(JPEG, Output.jpeg(60)).bytes()).hasSize(1);
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
