package io.imgpress.intake;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.processing.ImageProperties;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.WorkSignal;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestRepository;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns an uploaded CSV into a staged request: the request, its validated rows and one intake job
 * are written in one transaction before the answer, so a crash right after it loses nothing, and a
 * rejected upload stores nothing. Expanding the rows into images and their jobs is left to the
 * intake job ({@link IntakeJobHandler}), which keeps the answer fast for a 10,000-row file.
 */
@ConditionalOnApiRole
@Service
public class UploadService {

  private static final Logger log = LoggerFactory.getLogger(UploadService.class);

  private final CsvParser parser;
  private final WebhookUrlCheck webhookCheck;
  private final RequestRepository requests;
  private final JobQueue queue;
  private final WorkSignal signal;
  private final TransactionTemplate tx;
  private final int defaultQuality;
  private final Clock clock;

  UploadService(
      CsvParser parser,
      WebhookUrlCheck webhookCheck,
      RequestRepository requests,
      JobQueue queue,
      WorkSignal signal,
      TransactionTemplate tx,
      ImageProperties images,
      Clock clock) {
    this.parser = parser;
    this.webhookCheck = webhookCheck;
    this.requests = requests;
    this.queue = queue;
    this.signal = signal;
    this.tx = tx;
    this.defaultQuality = images.defaultQuality();
    this.clock = clock;
  }

  public NewRequest submit(InputStream csv, String webhookUrl, String quality) {
    int q = quality(quality);
    String webhook = webhookCheck.check(webhookUrl);
    List<ParsedRow> rows = parser.parse(csv);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            q,
            webhook,
            rows.stream()
                .map(r -> new NewProduct(r.serialNumber(), r.productName(), r.inputUrls()))
                .toList());
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
    Instant now = clock.instant();
    tx.executeWithoutResult(
        s -> {
          requests.stage(request);
          queue.enqueue(List.of(new JobQueue.Job(JobKind.INTAKE, request.id().toString(), now)));
        });
    signal.jobsAdded(1);
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
