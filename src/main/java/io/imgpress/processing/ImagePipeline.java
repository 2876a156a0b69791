package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import org.springframework.stereotype.Component;

/**
 * The CPU steps one image goes through once its bytes are here, in order: sniff, guard, decode +
 * normalise + encode (the codec, once the image's pixels fit the shared {@link PixelBudget}). The
 * stages around it fetch before and store after ({@link ImageStages}). Each step fails with an
 * {@link ImageFailureException} saying why. The codec also makes the image's "before" preview when
 * {@code imgpress.image.preview-size} asks for one.
 */
@ConditionalOnWorkerRole
@Component
class ImagePipeline {

  private final SniffStep sniffer = new SniffStep();
  private final PixelGuard guard;
  private final Codec codec;
  private final PixelBudget budget;
  private final int previewSize;

  ImagePipeline(Codec codec, PixelBudget budget, ImageProperties properties) {
    this.codec = codec;
    this.budget = budget;
    this.guard = new PixelGuard(properties.maxPixels());
    this.previewSize = properties.previewSize();
  }

  EncodedImage encode(byte[] source, int quality) {
    ImageFormat format = sniffer.sniff(source);
    try {
      ImageInfo info = codec.probe(source, format);
      guard.check(info);
      return compress(source, format, info, quality);
    } catch (ImageFailureException e) {
      // The Codec contract: permanent means the input is corrupt, retryable means out of memory.
      throw e.orReason(e.isRetryable() ? FailureReason.INTERNAL : FailureReason.CORRUPT);
    }
  }

  private EncodedImage compress(byte[] source, ImageFormat format, ImageInfo info, int quality) {
    try (PixelBudget.Lease pixels = budget.acquire(info.pixels())) {
      return codec.compress(source, format, quality, previewSize);
    } catch (InterruptedException e) {
      // Shutting down: the image goes back to the queue and runs again later.
      Thread.currentThread().interrupt();
      throw ImageFailureException.retryable("interrupted while waiting for memory", e);
    }
  }
}
