package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.JarProcess;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One API node and two worker nodes, each a separate JVM running the packaged jar, sharing one
 * store, one queue and one image storage that a subclass provides: a few hundred images uploaded to
 * the API node, one worker killed with SIGKILL in the middle of the batch (and whatever else the
 * subclass does to its backends then). Every image must complete with exactly one stored object,
 * the counters must equal the image rows, each request's webhook must arrive under one delivery id,
 * and the API node must not have processed anything.
 */
abstract class MultiProcessScenario {

  static final int REQUESTS = 3;
  static final int IMAGES_PER_REQUEST = 100;
  static final int IMAGES = REQUESTS * IMAGES_PER_REQUEST;

  /** Short, so the killed worker's images come back within the test's patience. */
  static final String LEASE = "6s";

  final List<Process> processes = new ArrayList<>();
  LoopbackServer origin;
  LoopbackServer receiver;

  /** Starts the backends; returns the arguments that select them and say where they are. */
  abstract List<String> backends() throws Exception;

  /** Environment of every node (secrets, as a deployment gives them). */
  abstract Map<String, String> environment();

  /** Images of all requests counted as processed by their requests. */
  abstract int processed();

  /** Asserts that the request's counters equal its image records, all completed. */
  abstract void assertCountersEqualRecords(String requestId);

  /** The output URL of every image record. */
  abstract List<String> outputUrls();

  /** Every object in the image storage, by the key its output URL names (see {@link #keyOf}). */
  abstract Set<String> storedObjects() throws Exception;

  abstract String keyOf(String outputUrl);

  /** Called once the first worker was killed, while the batch goes on: more faults, if any. */
  void afterTheKill() throws Exception {}

  @AfterEach
  void cleanUp() {
    processes.forEach(Process::destroyForcibly);
    if (origin != null) {
      origin.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void oneApiAndTwoWorkersLoseNothingWhenAWorkerIsKilled() throws Exception {
    byte[] jpeg = TestImages.jpeg(640, 480, 11);
    // A slow origin keeps every worker's window busy long enough to kill one mid-batch.
    origin =
        new LoopbackServer()
            .on(
                "/",
                ex -> {
                  JarProcess.sleep(60);
                  LoopbackServer.respond(ex, 200, "image/jpeg", jpeg);
                });
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  String body =
                      new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                  deliveries.add(
                      new Delivery(ex.getRequestHeaders().getFirst("X-Imgpress-Delivery"), body));
                  LoopbackServer.respond(ex, 200, "text/plain", new byte[0]);
                });

    int apiPort = JarProcess.freePort();
    List<String> shared = new ArrayList<>(backends());
    shared.addAll(
        List.of(
            "--imgpress.public-base-url=http://127.0.0.1:" + apiPort,
            "--imgpress.processing.lease=" + LEASE,
            "--imgpress.processing.max-in-flight=32",
            "--imgpress.processing.workers=1",
            "--imgpress.fetch.max-concurrent-per-host=8"));
    Map<String, String> env = environment();

    Process api = start("api", apiPort, shared, env);
    int w1Port = JarProcess.freePort();
    Process w1 = start("worker", w1Port, shared, env);
    Process w2 = start("worker", JarProcess.freePort(), shared, env);

    ApiClient client = new ApiClient("http://127.0.0.1:" + apiPort);
    List<String> ids = new ArrayList<>();
    for (int r = 0; r < REQUESTS; r++) {
      String csv = csv(origin, r);
      var answer = client.upload(csv, Map.of("webhookUrl", receiver.url("/hook")));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      ids.add(client.json(answer.body()).get("requestId").asString());
    }

    // Kill the first worker once it holds images and the batch is well under way.
    ApiClient w1Client = new ApiClient("http://127.0.0.1:" + w1Port);
    awaitUnderWay(w1Client);
    w1.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks run
    int doneAtKill = processed();
    assertThat(doneAtKill).as("killed mid-batch").isLessThan(IMAGES);
    afterTheKill();

    for (String id : ids) {
      JsonNode status = client.awaitFinal(id, Duration.ofSeconds(240));
      assertThat(status.get("status").asString()).isEqualTo("completed");
      assertThat(status.get("processedImages").asInt()).isEqualTo(IMAGES_PER_REQUEST);
      assertThat(status.get("failedImages").asInt()).isZero();
    }

    // Counters equal the records.
    ids.forEach(this::assertCountersEqualRecords);

    // Exactly one stored output per image, the one its output URL names, and one preview beside it.
    List<String> outputs = outputUrls();
    assertThat(outputs).hasSize(IMAGES).doesNotContainNull();
    Set<String> stored = storedObjects();
    Set<String> keys =
        stored.stream()
            .filter(k -> !k.replaceFirst("\\.jpg$", "").endsWith("-before"))
            .collect(Collectors.toSet());
    assertThat(keys).hasSize(IMAGES);
    assertThat(stored).as("one preview per output").hasSize(2 * IMAGES);
    Set<String> named = outputs.stream().map(this::keyOf).collect(Collectors.toSet());
    assertThat(named).containsExactlyInAnyOrderElementsOf(keys);
    for (String url : outputs.subList(0, 5)) {
      var image = client.getBytes(url);
      assertThat(image.statusCode()).isEqualTo(200);
      assertThat(TestImages.decode(image.body()).getWidth()).isEqualTo(640);
    }

    // One webhook per request: repeats, if any, carry the same delivery id.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (requestsCalledBack(deliveries).size() < REQUESTS && System.nanoTime() < deadline) {
      JarProcess.sleep(100);
    }
    Map<String, Set<String>> idsByRequest = requestsCalledBack(deliveries);
    assertThat(idsByRequest.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    idsByRequest.values().forEach(deliveryIds -> assertThat(deliveryIds).hasSize(1));
    assertThat(deliveries.stream().map(Delivery::id).distinct()).hasSize(REQUESTS);

    // The API node processed nothing; the surviving worker did.
    String apiMetrics = client.get("/actuator/prometheus").body();
    assertThat(metric(apiMetrics, "imgpress_images_processed_total")).isZero();
    assertThat(apiMetrics).doesNotContain("imgpress_pipeline_in_flight");
    String w2Metrics = new ApiClient(baseOf(w2)).get("/actuator/prometheus").body();
    assertThat(metric(w2Metrics, "imgpress_images_processed_total")).isPositive();
    assertThat(api.isAlive()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------

  record Delivery(String id, String body) {}

  final Map<Process, String> bases = new ConcurrentHashMap<>();

  private Process start(String role, int port, List<String> shared, Map<String, String> env)
      throws Exception {
    Path dataDir = Files.createTempDirectory("imgpress-mp-" + role);
    List<String> args = new ArrayList<>(shared);
    args.add("--imgpress.role=" + role);
    Process process = JarProcess.start(dataDir, port, List.of("-Xmx512m"), args, env);
    processes.add(process);
    bases.put(process, "http://127.0.0.1:" + port);
    return process;
  }

  private String baseOf(Process process) {
    return bases.get(process);
  }

  private static String csv(LoopbackServer origin, int request) {
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    for (int i = 1; i <= IMAGES_PER_REQUEST; i++) {
      csv.append(i).append(",SKU").append(i).append(',');
      csv.append(origin.url("/img/" + request + "-" + i + ".jpg")).append('\n');
    }
    return csv.toString();
  }

  /** Waits until the worker has images in flight and some images are done. */
  private void awaitUnderWay(ApiClient worker) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      double inFlight =
          metric(worker.get("/actuator/prometheus").body(), "imgpress_pipeline_in_flight");
      if (inFlight > 0 && processed() >= 40) {
        return;
      }
      JarProcess.sleep(50);
    }
    throw new AssertionError("the batch did not get under way on the first worker in 120 s");
  }

  /** The value of an untagged-or-tagged Prometheus sample, summed over its series; 0 if absent. */
  private static double metric(String exposition, String name) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static Map<String, Set<String>> requestsCalledBack(List<Delivery> deliveries) {
    Map<String, Set<String>> byRequest = new HashMap<>();
    for (Delivery d : deliveries) {
      String request = new ApiClient("").json(d.body()).get("requestId").asString();
      byRequest.computeIfAbsent(request, k -> new HashSet<>()).add(d.id());
    }
    return byRequest;
  }
}
