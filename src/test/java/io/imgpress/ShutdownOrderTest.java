package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * What a SIGTERM sets off (the JVM's shutdown hook closes the context): readiness reports DOWN
 * while the web server still answers and before the workers stop claiming (they stop at the
 * context-closed event, which comes after), so a load balancer or orchestrator takes the instance
 * out of rotation first; then the workers stop; then the server.
 */
class ShutdownOrderTest {

  @Test
  void readinessGoesDownBeforeTheWorkersStopClaiming() throws Exception {
    Path dataDir = Files.createTempDirectory("imgpress-shutdown");
    List<String> seenAtClose = new CopyOnWriteArrayList<>();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ImgpressApplication.class)
            .properties(
                Map.of(
                    "server.port", "0",
                    "imgpress.data-dir", dataDir.toString(),
                    "imgpress.webhook.secret", "test-secret"))
            .listeners(
                (ApplicationEvent event) -> {
                  if (event instanceof AvailabilityChangeEvent<?> change
                      && change.getState() instanceof ReadinessState state) {
                    seenAtClose.add("readiness " + state);
                  }
                  if (event instanceof ContextClosedEvent closed) {
                    // The workers stop claiming from here on, and their stop() comes later still.
                    var ctx = closed.getApplicationContext();
                    ApiClient api =
                        new ApiClient(
                            "http://127.0.0.1:"
                                + ctx.getEnvironment().getProperty("local.server.port"));
                    seenAtClose.add("closing");
                    seenAtClose.add(
                        "readiness " + api.get("/actuator/health/readiness").statusCode());
                    seenAtClose.add(
                        "liveness " + api.get("/actuator/health/liveness").statusCode());
                    seenAtClose.add(
                        "imageStages running "
                            + ctx.getBean("imageStages", Lifecycle.class).isRunning());
                    seenAtClose.add(
                        "jobWorkers running "
                            + ctx.getBean("jobWorkers", Lifecycle.class).isRunning());
                  }
                })
            .run();
    ApiClient api =
        new ApiClient(
            "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    assertThat(api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    Lifecycle stages = context.getBean("imageStages", Lifecycle.class);
    Lifecycle workers = context.getBean("jobWorkers", Lifecycle.class);

    context.close();

    assertThat(seenAtClose)
        .containsExactly(
            "readiness ACCEPTING_TRAFFIC",
            "readiness REFUSING_TRAFFIC",
            "closing",
            "readiness 503",
            "liveness 200",
            "imageStages running true",
            "jobWorkers running true");
    assertThat(stages.isRunning()).isFalse();
    assertThat(workers.isRunning()).isFalse();
  }
}
