package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessingMetricsTest {

  final MockClock clock = new MockClock();
  final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  final ProcessingMetrics metrics = new ProcessingMetrics(registry);

  @Test
  void everyOutcomeAndReasonExistsAtZeroFromTheStart() {
    assertThat(registry.find(ProcessingMetrics.PROCESSED).counters())
        .hasSize(FailureReason.values().length + 1)
        .allSatisfy(c -> assertThat(c.count()).isZero());
    assertThat(processed("completed", "none")).isZero();
    assertThat(processed("failed", "forbidden_address")).isZero();
  }

  @Test
  void completedImageCountsTimeAndSizes() {
    Timer.Sample attempt = metrics.start();
    clock.add(Duration.ofMillis(1500));
    metrics.completed(attempt, 10_000, 2_500);

    assertThat(processed("completed", "none")).isEqualTo(1);
    Timer timer = registry.get(ProcessingMetrics.PROCESSING).tag("outcome", "completed").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
    assertThat(registry.get(ProcessingMetrics.BYTES_IN).summary().totalAmount()).isEqualTo(10_000);
    assertThat(registry.get(ProcessingMetrics.BYTES_OUT).summary().totalAmount()).isEqualTo(2_500);
  }

  @Test
  void retryIsTimedButNotCountedAsProcessed() {
    metrics.retried(metrics.start());

    assertThat(registry.get(ProcessingMetrics.PROCESSING).tag("outcome", "retried").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(ProcessingMetrics.PROCESSED).counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void failureIsCountedUnderItsReason() {
    metrics.failed(metrics.start(), FailureReason.HTTP_4XX);
    metrics.failed(metrics.start(), FailureReason.HTTP_4XX);
    metrics.failed(metrics.start(), FailureReason.TIMEOUT);

    assertThat(processed("failed", "http_4xx")).isEqualTo(2);
    assertThat(processed("failed", "timeout")).isEqualTo(1);
    assertThat(registry.get(ProcessingMetrics.PROCESSING).tag("outcome", "failed").timer().count())
        .isEqualTo(3);
  }

  @Test
  void timedFetcherTimesSuccessAndFailureApart() {
    ImageFetcher ok =
        metrics.timed(
            (uri, budget) -> {
              clock.add(Duration.ofMillis(200));
              return new ImageFetcher.FetchedImage(uri, new byte[] {1}, "image/jpeg");
            });
    ImageFetcher broken =
        metrics.timed(
            (uri, budget) -> {
              throw ImageFailureException.permanent(FailureReason.HTTP_4XX, "HTTP 404");
            });

    ok.fetch(URI.create("https://example.com/a.jpg"));
    assertThatThrownBy(() -> broken.fetch(URI.create("https://example.com/b.jpg")))
        .hasMessage("HTTP 404");

    Timer success = registry.get(ProcessingMetrics.FETCH).tag("outcome", "success").timer();
    assertThat(success.count()).isEqualTo(1);
    assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
    assertThat(registry.get(ProcessingMetrics.FETCH).tag("outcome", "failure").timer().count())
        .isEqualTo(1);
  }

  @Test
  void prometheusGetsHistogramsAndBoundedTags() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessingMetrics exported = new ProcessingMetrics(prometheus);
    exported.completed(exported.start(), 100, 10);
    exported.failed(exported.start(), FailureReason.NOT_IMAGE);

    String scrape = prometheus.scrape();

    assertThat(scrape)
        .contains("imgpress_images_processed_total{outcome=\"completed\",reason=\"none\"} 1")
        .contains("imgpress_images_processed_total{outcome=\"failed\",reason=\"not_image\"} 1")
        .contains("imgpress_image_processing_seconds_bucket{outcome=\"completed\",le=\"300.0\"} 1")
        .contains("imgpress_image_fetch_seconds_bucket{outcome=\"success\",le=\"0.05\"} 0")
        .contains("imgpress_image_bytes_in_sum 100")
        .contains("imgpress_image_bytes_out_sum 10")
        .contains("# HELP imgpress_image_fetch_seconds Download of one source image")
        .contains("# HELP imgpress_image_processing_seconds One attempt at one image");
  }

  private double processed(String outcome, String reason) {
    return registry
        .get(ProcessingMetrics.PROCESSED)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .counter()
        .count();
  }
}
