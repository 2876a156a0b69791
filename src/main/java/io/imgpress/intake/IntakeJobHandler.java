package io.imgpress.intake;

import io.imgpress.queue.JobHandler;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.WorkSignal;
import io.imgpress.request.RequestRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expands a staged upload into its products and images and queues one job per image, all in one
 * transaction with the completion of the intake job: a crash leaves either the staged upload (and
 * its job runs again) or the whole expansion.
 */
@Component
class IntakeJobHandler implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(IntakeJobHandler.class);

  private final RequestRepository requests;
  private final JobQueue queue;
  private final WorkSignal signal;
  private final TransactionTemplate tx;
  private final Clock clock;

  IntakeJobHandler(
      RequestRepository requests,
      JobQueue queue,
      WorkSignal signal,
      TransactionTemplate tx,
      Clock clock) {
    this.requests = requests;
    this.queue = queue;
    this.signal = signal;
    this.tx = tx;
    this.clock = clock;
  }

  @Override
  public JobKind kind() {
    return JobKind.INTAKE;
  }

  @Override
  public void handle(ClaimedJob job) {
    UUID requestId = UUID.fromString(job.ref());
    Instant now = clock.instant();
    Integer images =
        tx.execute(
            s -> {
              List<Long> imageIds = requests.expand(requestId).orElse(List.of());
              // Ranked by position, so this request's images take turns with other requests'.
              queue.enqueue(
                  IntStream.range(0, imageIds.size())
                      .mapToObj(
                          i ->
                              new JobQueue.Job(
                                  JobKind.IMAGE, Long.toString(imageIds.get(i)), now, i))
                      .toList());
              queue.completeHeld(job);
              return imageIds.size();
            });
    if (images > 0) {
      signal.jobsAdded(images);
      log.info("Request {}: queued {} images", requestId, images);
    }
  }
}
