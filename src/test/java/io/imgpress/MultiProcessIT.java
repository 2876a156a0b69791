package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.ApiClient;
import io.imgpress.support.JarProcess;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.S3ProxyServer;
import io.imgpress.support.TestDatabase;
import io.imgpress.support.TestImages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;

/**
 * One API node and two worker nodes, each a separate JVM running the packaged jar, sharing one
 * PostgreSQL database and one S3 bucket (S3Proxy): a few hundred images uploaded to the API node,
 * one worker killed with SIGKILL in the middle of the batch. Every image must complete with exactly
 * one stored object, the counters must equal the image rows, each request's webhook must arrive
 * under one delivery id, and the API node must not have processed anything.
 */
class MultiProcessIT {

  static final int REQUESTS = 3;
  static final int IMAGES_PER_REQUEST = 100;
  static final int IMAGES = REQUESTS * IMAGES_PER_REQUEST;

  /** Short, so the killed worker's images come back within the test's patience. */
  static final String LEASE = "6s";

  final List<Process> processes = new ArrayList<>();
  LoopbackServer origin;
  LoopbackServer receiver;

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

    String databaseUrl = TestDatabase.emptyPostgres();
    S3ProxyServer s3 = S3ProxyServer.shared();
    String bucket = s3.createBucket();
    int apiPort = JarProcess.freePort();
    List<String> shared =
        List.of(
            "--imgpress.store=postgres",
            "--spring.datasource.url=" + databaseUrl,
            "--spring.datasource.username=" + TestDatabase.user(),
            "--imgpress.storage=s3",
            "--imgpress.storage.s3.bucket=" + bucket,
            "--imgpress.storage.s3.endpoint=" + s3.endpoint(),
            "--imgpress.storage.s3.path-style=true",
            "--imgpress.storage.s3.region=" + S3ProxyServer.REGION,
            "--imgpress.public-base-url=http://127.0.0.1:" + apiPort,
            "--imgpress.processing.lease=" + LEASE,
            "--imgpress.processing.max-in-flight=32",
            "--imgpress.processing.workers=1",
            "--imgpress.fetch.max-concurrent-per-host=8");
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
            "IMGPRESS_WEBHOOK_SECRET", "multi-process-test-secret");

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

    JdbcClient db = JdbcClient.create(new SingleConnectionDataSource(connect(databaseUrl), true));
    // Kill the first worker once it holds images and the batch is well under way.
    ApiClient w1Client = new ApiClient("http://127.0.0.1:" + w1Port);
    awaitUnderWay(db, w1Client);
    w1.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks run
    int doneAtKill = processed(db);
    assertThat(doneAtKill).as("killed mid-batch").isLessThan(IMAGES);

    for (String id : ids) {
      JsonNode status = client.awaitFinal(id, Duration.ofSeconds(240));
      assertThat(status.get("status").asString()).isEqualTo("completed");
      assertThat(status.get("processedImages").asInt()).isEqualTo(IMAGES_PER_REQUEST);
      assertThat(status.get("failedImages").asInt()).isZero();
    }

    // Counters equal the rows.
    for (String id : ids) {
      Map<String, Object> counts =
          db.sql(
                  """
                  select r.total_images, r.processed_images, r.failed_images,
                    (select count(*) from images i where i.request_id = r.request_id) as rows_all,
                    (select count(*) from images i where i.request_id = r.request_id
                       and i.status = 'COMPLETED') as rows_completed
                  from requests r where r.request_id = ?""")
              .param(id)
              .query()
              .singleRow();
      assertThat(((Number) counts.get("total_images")).intValue()).isEqualTo(IMAGES_PER_REQUEST);
      assertThat(((Number) counts.get("rows_all")).intValue()).isEqualTo(IMAGES_PER_REQUEST);
      assertThat(((Number) counts.get("processed_images")).intValue())
          .isEqualTo(((Number) counts.get("rows_completed")).intValue())
          .isEqualTo(IMAGES_PER_REQUEST);
    }

    // Exactly one stored object per image, and it is the one its output URL names.
    List<String> outputs = db.sql("select output_url from images").query(String.class).list();
    assertThat(outputs).hasSize(IMAGES).doesNotContainNull();
    Set<String> keys = s3.objects(bucket);
    assertThat(keys).hasSize(IMAGES);
    Set<String> named =
        outputs.stream()
            .map(u -> URI.create(u).getPath().replaceFirst("^/images/", ""))
            .collect(Collectors.toSet());
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

  private static Connection connect(String url) throws Exception {
    return DriverManager.getConnection(url, TestDatabase.user(), "");
  }

  private static int processed(JdbcClient db) {
    return db.sql("select coalesce(sum(processed_images), 0) from requests")
        .query(Integer.class)
        .single();
  }

  /** Waits until the worker has images in flight and some images are done. */
  private static void awaitUnderWay(JdbcClient db, ApiClient worker) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      double inFlight =
          metric(worker.get("/actuator/prometheus").body(), "imgpress_pipeline_in_flight");
      if (inFlight > 0 && processed(db) >= 40) {
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
