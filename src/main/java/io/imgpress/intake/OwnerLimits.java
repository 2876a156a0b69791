package io.imgpress.intake;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.intake.LimitReachedException.Limit;
import io.imgpress.request.RequestRepository;
import io.imgpress.security.SecurityProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The per-owner limits of {@code imgpress.security.limits}, checked at upload against the store, so
 * every API process counts the same requests. Two uploads of one owner checked at the same moment
 * may both pass and go over a limit by one upload; the limits bound use, they are not exact quotas.
 */
@ConditionalOnApiRole
@Component
class OwnerLimits {

  /** Requests take seconds to minutes; a client waiting this long polls at a modest rate. */
  static final Duration UNFINISHED_RETRY_AFTER = Duration.ofSeconds(30);

  static final Duration WINDOW = Duration.ofHours(1);

  private final RequestRepository requests;
  private final SecurityProperties.Limits limits;
  private final Clock clock;

  OwnerLimits(RequestRepository requests, SecurityProperties security, Clock clock) {
    this.requests = requests;
    this.limits = security.limits();
    this.clock = clock;
  }

  void checkUnfinished(String owner) {
    int unfinished = requests.unfinished(owner);
    if (unfinished >= limits.maxUnfinishedRequests()) {
      throw new LimitReachedException(
          Limit.MAX_UNFINISHED_REQUESTS,
          UNFINISHED_RETRY_AFTER,
          ("%d of your requests are not finished yet, as many as one owner may have at once"
                  + " (imgpress.security.limits.max-unfinished-requests); upload again when one"
                  + " has finished")
              .formatted(unfinished));
    }
  }

  void checkImages(String owner, int images) {
    int limit = limits.imagesPerHour();
    Instant now = clock.instant();
    long used = requests.imagesSince(owner, now.minus(WINDOW));
    if (used + images <= limit) {
      return;
    }
    if (images > limit) {
      throw new LimitReachedException(
          Limit.IMAGES_PER_HOUR,
          WINDOW,
          ("this upload has %d images, more than one owner may upload in an hour (%d,"
                  + " imgpress.security.limits.images-per-hour); split it into smaller uploads")
              .formatted(images, limit));
    }
    throw new LimitReachedException(
        Limit.IMAGES_PER_HOUR,
        whenItFits(owner, now, images, limit),
        ("you uploaded %d images in the last hour; with this upload's %d that is more than one"
                + " owner may upload in an hour (%d, imgpress.security.limits.images-per-hour)")
            .formatted(used, images, limit));
  }

  /**
   * The first whole second from now at which enough of the window has passed for {@code images}
   * more to fit, if the owner uploads nothing else: the images in the window only shrink as it
   * slides, so a binary search over its 3600 seconds takes at most 12 queries.
   */
  private Duration whenItFits(String owner, Instant now, int images, int limit) {
    long low = 1;
    long high = WINDOW.toSeconds();
    while (low < high) {
      long mid = (low + high) / 2;
      Instant windowStart = now.plusSeconds(mid).minus(WINDOW);
      if (requests.imagesSince(owner, windowStart) + images <= limit) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return Duration.ofSeconds(low);
  }
}
