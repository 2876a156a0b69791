package io.imgpress.intake;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.processing.ImageProperties;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.QueueMetrics;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
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

  UploadService(
      OwnerLimits limits,
      CsvParser parser,
      WebhookUrlCheck webhookCheck,
      RequestRepository requests,
      OutboxRelay relay,
      QueueMetrics queueDepth,
      IntakeProperties intake,
      ImageProperties images) {
    this.limits = limits;
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
   * or null without keys (one trusted user, no per-owner limits).
   */
  public NewRequest submit(String owner, InputStream csv, String webhookUrl, String quality) {
    checkBacklog();
    if (owner != null) {
      limits.checkUnfinished(owner);
    }
    int q = quality(quality);
    String webhook = webhookCheck.check(webhookUrl);
    List<ParsedRow> rows = parser.parse(csv);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            owner,
            q,
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
          "Accepted request {}: {} products, {} images",
          request.id(),
          rows.size(),
          request.totalImages());
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

  private int quality(String raw) {
    if (raw == null || raw.isBlank()) {
      return defaultQuality;
    }
    try {
      int q = Integer.parseInt(raw.trim());
      if (q >= 1 && q <= 100) {
        return q;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidUploadException("quality", "quality must be a whole number from 1 to 100");
  }
}
