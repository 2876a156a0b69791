package io.imgpress.webhook;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.WorkSignal;
import io.imgpress.request.RequestFinishedListener;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Queues the completion webhook in the same transaction that finished the request. */
@ConditionalOnWorkerRole
@Component
class WebhookEnqueuer implements RequestFinishedListener {

  private final RequestRepository requests;
  private final JobQueue queue;
  private final WorkSignal signal;
  private final Clock clock;

  WebhookEnqueuer(RequestRepository requests, JobQueue queue, WorkSignal signal, Clock clock) {
    this.requests = requests;
    this.queue = queue;
    this.signal = signal;
    this.clock = clock;
  }

  @Override
  public void requestFinished(UUID requestId, RequestStatus status) {
    boolean wantsWebhook = requests.find(requestId).map(r -> r.webhook() != null).orElse(false);
    if (wantsWebhook) {
      queue.enqueue(
          List.of(new JobQueue.Job(JobKind.WEBHOOK, requestId.toString(), clock.instant())));
      signal.jobsAdded(1);
    }
  }
}
