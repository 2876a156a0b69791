package io.imgpress.intake;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.processing.ImageProperties;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.QueueMetrics;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
import io.imgpress.request.RequestRepository;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

/**
 * Turns an uploaded CSV into a staged request: the store records the request, its validated rows
 * and its intake job (in its outbox) in one step before the answer, so a crash right after it loses
 * nothing, and a rejected upload stores nothing. Expanding the rows into images and their jobs is
 * left to the intake job ({@link IntakeJobHandler}), which keeps the answer fast for a 10,000-row
 * file.
 */
@ConditionalOnApiRole
@Service
public class UploadService {

  private static final Logger log = LoggerFactory.getLogger(UploadService.class);

  private final CsvParser parser;
  private final WebhookUrlCheck webhookCheck;
  private final RequestRepository requests;
  private final OutboxRelay relay;
  private final QueueMetrics queueDepth;
  private final long maxBacklog;
  private final Duration backlogRetryAfter;
  private final int defaultQuality;
  private final OwnerLimits limits;
  private final WritableFormats writable;

  UploadService(
      OwnerLimits limits,
      WritableFormats writable,
      CsvParser parser,
      WebhookUrlCheck webhookCheck,
      RequestRepository requests,
      OutboxRelay relay,
      QueueMetrics queueDepth,
      IntakeProperties intake,
      ImageProperties images) {
    this.limits = limits;
    this.writable = writable;
    this.parser = parser;
    this.webhookCheck = webhookCheck;
    this.requests = requests;
    this.relay = relay;
    this.queueDepth = queueDepth;
    this.maxBacklog = intake.maxBacklog();
    this.backlogRetryAfter = intake.backlogRetryAfter();
    this.defaultQuality = images.defaultQuality();
  }

  /**
   * Stages an upload of {@code owner}: the owner of the API key it came with, whose limits apply,
   * or null without keys (one trusted user, no per-owner limits). The output fields become the
   * request's {@link Output}; a format the codec engine of this process does not write is refused
   * (see {@link WritableFormats}).
   */
  public NewRequest submit(String owner, InputStream csv, String webhookUrl, OutputFields fields) {
    checkBacklog();
    if (owner != null) {
      limits.checkUnfinished(owner);
    }
    Output output = OutputFieldParser.parse(fields, defaultQuality);
    writable.check(output.format());
    String webhook = webhookCheck.check(webhookUrl);
    List<ParsedRow> rows = parser.parse(csv);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            owner,
            output,
            webhook,
            rows.stream()
                .map(r -> new NewProduct(r.serialNumber(), r.productName(), r.inputUrls()))
                .toList());
    if (owner != null) {
      limits.checkImages(owner, request.totalImages());
    }
    try (var _ = MDC.putCloseable("requestId", request.id().toString())) {
      store(request);
      log.info(
          "Accepted request {}: {} products, {} images, {}",
          request.id(),
          rows.size(),
          request.totalImages(),
          request.output());
    }
    return request;
  }

  private void store(NewRequest request) {
    requests.stage(request);
    relay.kick();
  }

  /** Refuses the upload while the queue holds more than the configured backlog. */
  private void checkBacklog() {
    if (maxBacklog <= 0) {
      return;
    }
    JobQueue.Depth depth = queueDepth.latest();
    if (depth != null && depth.jobs() >= maxBacklog) {
      throw new BacklogFullException(depth.jobs(), maxBacklog, backlogRetryAfter);
    }
  }
}
