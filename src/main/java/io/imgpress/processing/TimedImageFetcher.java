package io.imgpress.processing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;

/** Decorates an {@link ImageFetcher} with a timer, so no fetcher has to know about metrics. */
final class TimedImageFetcher implements ImageFetcher {

  private final ImageFetcher delegate;
  private final MeterRegistry registry;
  private final Timer success;
  private final Timer failure;

  TimedImageFetcher(ImageFetcher delegate, MeterRegistry registry, Timer success, Timer failure) {
    this.delegate = delegate;
    this.registry = registry;
    this.success = success;
    this.failure = failure;
  }

  @Override
  public FetchedImage fetch(URI uri, ByteBudget budget) {
    Timer.Sample sample = Timer.start(registry);
    try {
      FetchedImage image = delegate.fetch(uri, budget);
      sample.stop(success);
      return image;
    } catch (RuntimeException e) {
      sample.stop(failure);
      throw e;
    }
  }
}
