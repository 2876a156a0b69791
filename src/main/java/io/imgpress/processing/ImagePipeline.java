package io.imgpress.processing;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.net.URI;
import org.springframework.stereotype.Component;

/**
 * The steps one image goes through, in order: fetch, sniff, guard, decode + normalise + encode (the
 * codec, once the image's pixels fit the shared {@link PixelBudget}), store. Each step fails with
 * an {@link ImageFailureException} saying why.
 */
@Component
public class ImagePipeline {

  private final ImageFetcher fetcher;
  private final SniffStep sniffer = new SniffStep();
  private final PixelGuard guard;
  private final Codec codec;
  private final PixelBudget budget;
  private final StoreStep storer;

  ImagePipeline(
      ImageFetcher fetcher,
      Codec codec,
      PixelBudget budget,
      ImageStore store,
      ImageProperties properties,
      ProcessingMetrics metrics) {
    this.fetcher = metrics.timed(fetcher);
    this.codec = codec;
    this.budget = budget;
    this.guard = new PixelGuard(properties.maxPixels());
    this.storer = new StoreStep(store);
  }

  public Result process(ImageWork work) {
    FetchedImage fetched = fetcher.fetch(URI.create(work.inputUrl()), ByteBudget.unlimited());
    byte[] source = fetched.bytes();
    ImageFormat format = sniffer.sniff(source);
    EncodedImage encoded;
    try {
      ImageInfo info = codec.probe(source, format);
      guard.check(info);
      encoded = compress(source, format, info, work.quality());
    } catch (ImageFailureException e) {
      // The Codec contract: permanent means the input is corrupt, retryable means out of memory.
      throw e.orReason(e.isRetryable() ? FailureReason.INTERNAL : FailureReason.CORRUPT);
    }
    StoreStep.Output output = storer.store(work.requestId(), work.imageId(), encoded.jpeg());
    return new Result(output.key(), source.length, output.size());
  }

  private EncodedImage compress(byte[] source, ImageFormat format, ImageInfo info, int quality) {
    try (PixelBudget.Lease pixels = budget.acquire(info.pixels())) {
      return codec.compress(source, format, quality);
    } catch (InterruptedException e) {
      // Shutting down: the job goes back to the queue and runs again later.
      Thread.currentThread().interrupt();
      throw ImageFailureException.retryable("interrupted while waiting for memory", e);
    }
  }

  /** Where the output went and the sizes before and after. */
  public record Result(StorageKey key, long inputBytes, long outputBytes) {}
}
