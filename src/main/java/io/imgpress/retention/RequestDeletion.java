package io.imgpress.retention;

import io.imgpress.request.PendingDeletion;
import io.imgpress.request.RequestRepository;
import io.imgpress.storage.ImageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes a request with its stored images, for {@code DELETE /requests/{id}} and for retention.
 *
 * <p>Order: rows first, then objects, with a durable record in between. The store removes the
 * request's rows and records a {@link PendingDeletion} in one step ({@link
 * RequestRepository#delete}); only then are the images removed, by the request's folder ({@link
 * ImageStore#deleteRequest}), which needs nothing but the request id. So no image is ever left
 * without something that finds it again: until the folder is empty the record names it, and the
 * record goes only after that. Deleting objects first would leave, on a crash in between, a request
 * whose {@code /status} lists images that are gone; marking the rows first would need every reader
 * and every transition to skip marked requests.
 *
 * <p>Crash-safety and repeats: a record is due at once; once the folder is emptied it is due again
 * after {@code imgpress.retention.recheck-after}, when the folder is emptied once more and the
 * record forgotten. A process that dies after the rows went, or a storage that fails, leaves the
 * record due, and the next sweep of any worker ({@link RetentionSweeper}) finishes the job; each
 * step is idempotent, so several processes may do it at once.
 *
 * <p>Requests still processing are deleted as they are: their queued jobs find nothing to do and
 * complete (an intake job finds no staged rows, an image job no image, a webhook job no request),
 * and an attempt in flight that stores its output learns from the store that its image is gone when
 * it records it, and removes the object it stored (see {@code processing.Recorder}). An attempt
 * that dies between storing and recording is what the second emptying is for.
 */
@Component
public class RequestDeletion {

  private static final Logger log = LoggerFactory.getLogger(RequestDeletion.class);

  static final String DELETED = "imgpress.requests.deleted";

  private final RequestRepository requests;
  private final ImageStore images;
  private final RetentionProperties properties;
  private final Clock clock;
  private final Counter byApi;
  private final Counter byRetention;

  RequestDeletion(
      RequestRepository requests,
      ImageStore images,
      RetentionProperties properties,
      MeterRegistry registry,
      Clock clock) {
    this.requests = requests;
    this.images = images;
    this.properties = properties;
    this.clock = clock;
    this.byApi = counter(registry, "api");
    this.byRetention = counter(registry, "retention");
  }

  private static Counter counter(MeterRegistry registry, String reason) {
    return Counter.builder(DELETED)
        .description("Requests deleted with their images, by why")
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Deletes the request's rows, then its images. Returns once the rows are gone and the deletion
   * recorded; should the images not go now (the storage fails), the sweeper finishes that.
   *
   * @return false when there was no such request
   */
  public boolean delete(UUID id) {
    return delete(id, byApi);
  }

  /** {@link #delete} for retention, counted apart. */
  boolean expire(UUID id) {
    return delete(id, byRetention);
  }

  private boolean delete(UUID id, Counter counter) {
    Instant now = clock.instant();
    if (!requests.delete(id, now)) {
      return false;
    }
    counter.increment();
    try {
      removeImages(new PendingDeletion(id, now));
    } catch (RuntimeException e) {
      log.warn("Request {} deleted; its images are removed by a later sweep", id, e);
    }
    return true;
  }

  /**
   * One look at a pending deletion: what is left of the rows, then the images; then the record is
   * due again after {@code recheck-after}, or forgotten when that time has passed.
   */
  void finish(PendingDeletion deletion) {
    requests.delete(deletion.requestId(), clock.instant());
    removeImages(deletion);
  }

  private void removeImages(PendingDeletion deletion) {
    int removed = images.deleteRequest(deletion.requestId());
    Instant recheck = deletion.deletedAt().plus(properties.recheckAfter());
    if (clock.instant().isBefore(recheck)) {
      requests.deletionDueAt(deletion.requestId(), recheck);
    } else {
      requests.forgetDeletion(deletion.requestId());
      if (removed > 0) {
        log.warn(
            "Request {}: removed {} image(s) stored after its deletion by attempts that died",
            deletion.requestId(),
            removed);
      }
    }
    log.debug("Request {}: removed {} stored image(s)", deletion.requestId(), removed);
  }
}
