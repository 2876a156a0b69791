package io.imgpress.processing;

import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.micrometer.core.instrument.Timer;
import java.net.URI;

/**
 * One image on its way through the stages: the job that carries it (whose lease handle is the
 * image's owner for this attempt), what it needs, and when the attempt began.
 */
record InFlightImage(ClaimedJob job, ImageWork work, Timer.Sample attempt) {

  long imageId() {
    return work.imageId();
  }

  String owner() {
    return job.handle();
  }

  /**
   * The source's host and port, the key its downloads are capped and paused by; the URL as a whole
   * when it has no host, which then fails in the fetcher with the reason.
   */
  String host() {
    try {
      URI uri = URI.create(work.inputUrl());
      return uri.getHost() == null ? work.inputUrl() : FetchLimits.hostOf(uri);
    } catch (IllegalArgumentException e) {
      return work.inputUrl();
    }
  }
}
