package io.imgpress.processing;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.net.URI;
import org.springframework.stereotype.Component;

/**
 * The steps one image goes through, in order: fetch, sniff, guard, decode + normalise + encode (the
 * codec), store. Each step fails with an {@link ImageFailureException} saying why.
 */
@Component
public class ImagePipeline {

  private final ImageFetcher fetcher;
  private final SniffStep sniffer = new SniffStep();
  private final PixelGuard guard;
  private final Codec codec;
  private final StoreStep storer;

  ImagePipeline(
      ImageFetcher fetcher,
      Codec codec,
      ImageStore store,
      ImageProperties properties,
      ProcessingMetrics metrics) {
    this.fetcher = metrics.timed(fetcher);
    this.codec = codec;
    this.guard = new PixelGuard(properties.maxPixels());
    this.storer = new StoreStep(store);
  }

  public Result process(ImageWork work) {
    FetchedImage fetched = fetcher.fetch(URI.create(work.inputUrl()));
    byte[] source = fetched.bytes();
    ImageFormat format = sniffer.sniff(source);
    EncodedImage encoded;
    try {
      guard.check(codec.probe(source, format));
      encoded = codec.compress(source, format, work.quality());
    } catch (ImageFailureException e) {
      // The Codec contract: permanent means the input is corrupt, retryable means out of memory.
      throw e.orReason(e.isRetryable() ? FailureReason.INTERNAL : FailureReason.CORRUPT);
    }
    StorageKey key = storer.store(work.requestId(), work.imageId(), encoded.jpeg());
    return new Result(key, source.length, encoded.jpeg().length);
  }

  /** Where the output went and the sizes before and after. */
  public record Result(StorageKey key, long inputBytes, long outputBytes) {}
}
