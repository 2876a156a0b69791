package io.imgpress.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imgpress.support.ApiClient;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /status/{id}/events} read by a real HTTP client, line by line, as a browser's
 * EventSource would. The origin holds its images behind a gate so a test decides when a request may
 * finish.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusEventsTest {

  static final int MAX_STREAMS = 3;
  static final byte[] JPEG = TestImages.jpeg(64, 48, 1);
  static volatile CountDownLatch gate = new CountDownLatch(0);
  static LoopbackServer origin;
  static Path dataDir;

  @LocalServerPort int port;
  @Autowired StatusStreams streams;
  ApiClient api;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<Events> opened = new ArrayList<>();

  @BeforeAll
  static void startOrigin() throws IOException {
    origin =
        new LoopbackServer()
            .on(
                "/gated/",
                ex -> {
                  try {
                    gate.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  LoopbackServer.respond(ex, 200, "image/jpeg", JPEG);
                });
    dataDir = Files.createTempDirectory("imgpress-events");
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("imgpress.data-dir", () -> dataDir.toString());
    registry.add("imgpress.fetch.allow-private-networks", () -> "true");
    registry.add("imgpress.processing.poll-interval", () -> "100ms");
    registry.add("imgpress.web.events.max-streams", () -> Integer.toString(MAX_STREAMS));
    registry.add("imgpress.web.events.poll-interval", () -> "100ms");
    registry.add("imgpress.web.events.heartbeat", () -> "300ms");
  }

  @BeforeEach
  void closeGate() {
    api = new ApiClient("http://127.0.0.1:" + port);
    gate = new CountDownLatch(1);
  }

  @AfterEach
  void openGateAndCloseStreams() {
    gate.countDown();
    opened.forEach(Events::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);
  }

  @Test
  void sendsTheStatusAtOnceThenOnEveryChangeAndCompletesWhenFinal() throws Exception {
    String id = upload(2);
    HttpResponse<Stream<String>> response = openStream(id);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    Events events = track(response);

    JsonNode first = events.nextStatus(Duration.ofSeconds(10));
    assertThat(first.get("requestId").asString()).isEqualTo(id);
    assertThat(first.get("status").asString()).isIn("pending", "processing");
    assertThat(first.get("processedImages").asInt()).isZero();
    assertThat(first.get("products").get(0).get("images")).hasSize(2);

    gate.countDown();
    List<JsonNode> rest = events.statusesUntilEnd(Duration.ofSeconds(20));
    assertThat(rest).isNotEmpty();
    JsonNode last = rest.getLast();
    assertThat(last.get("status").asString()).isEqualTo("completed");
    assertThat(last.get("processedImages").asInt()).isEqualTo(2);
    // the same document as GET /status
    assertThat(last).isEqualTo(api.json(api.get("/status/" + id).body()));
    await().atMost(Duration.ofSeconds(5)).until(() -> streams.openStreams() == 0);
  }

  @Test
  void aFinalRequestGetsOneEventAndTheStreamEnds() throws Exception {
    gate.countDown();
    String id = upload(1);
    api.awaitFinal(id, Duration.ofSeconds(20));

    Events events = track(openStream(id));
    List<JsonNode> all = events.statusesUntilEnd(Duration.ofSeconds(10));
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().get("status").asString()).isEqualTo("completed");
  }

  @Test
  void sendsHeartbeatsAndFreesTheStreamWhenTheClientLeaves() throws Exception {
    String id = upload(1);
    Events events = track(openStream(id));
    events.nextStatus(Duration.ofSeconds(10));
    assertThat(streams.openStreams()).isEqualTo(1);
    // Status events may come first (the request starts processing); the comment must follow.
    assertThat(events.skipTo(":keep-alive", Duration.ofSeconds(5))).isTrue();

    events.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> streams.openStreams() == 0);
  }

  @Test
  void unknownAndMalformedIdsAnswer404BeforeAnyStream() throws Exception {
    for (String id : List.of("00000000-0000-4000-8000-000000000000", "not-an-id")) {
      HttpResponse<String> response =
          http.send(eventsRequest(id), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(api.json(response.body()).get("status").asInt()).isEqualTo(404);
    }
    assertThat(streams.openStreams()).isZero();
  }

  @Test
  void refusesStreamsBeyondTheCapWith503() throws Exception {
    String id = upload(1);
    for (int i = 0; i < MAX_STREAMS; i++) {
      track(openStream(id)).nextStatus(Duration.ofSeconds(10));
    }
    HttpResponse<String> refused =
        http.send(eventsRequest(id), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(api.json(refused.body()).get("detail").asString()).contains("/status/" + id);
  }

  @Test
  void progressEventsCarryOnlyWhatChangedSinceAndEndWhenFinal() throws Exception {
    String id = upload(3);
    JsonNode before = api.json(api.get("/status/" + id).body());
    long since = before.get("changeNumber").asLong();
    Events events = track(openStream(id, "?since=" + since));

    Event first = events.next(StatusStream.PROGRESS, Duration.ofSeconds(10));
    assertThat(first.data().get("requestId").asString()).isEqualTo(id);
    assertThat(first.data().has("products")).isFalse();
    gate.countDown();
    List<Event> all = new ArrayList<>(List.of(first));
    all.addAll(events.untilEnd(StatusStream.PROGRESS, Duration.ofSeconds(20)));

    // What a client learns by applying the events to what /status told it: the newer state wins.
    Map<Long, JsonNode> images = new HashMap<>();
    before
        .get("products")
        .get(0)
        .get("images")
        .forEach(i -> images.put(i.get("imageId").asLong(), i));
    long previous = since;
    for (Event event : all) {
      long changeNumber = event.data().get("changeNumber").asLong();
      assertThat(event.id()).isEqualTo(Long.toString(changeNumber));
      assertThat(changeNumber).isGreaterThanOrEqualTo(previous);
      for (JsonNode change : event.data().get("images")) {
        assertThat(change.get("changeNumber").asLong())
            .as("only changes after the previous event")
            .isGreaterThan(previous)
            .isLessThanOrEqualTo(changeNumber);
        assertThat(change.has("inputUrl")).isFalse();
        images.merge(
            change.get("imageId").asLong(),
            change,
            (old, now) ->
                now.get("changeNumber").asLong() > old.get("changeNumber").asLong() ? now : old);
      }
      previous = changeNumber;
    }
    JsonNode last = all.getLast().data();
    assertThat(last.get("status").asString()).isEqualTo("completed");
    assertThat(last.get("processedImages").asInt()).isEqualTo(3);

    JsonNode after = api.json(api.get("/status/" + id).body());
    assertThat(last.get("changeNumber")).isEqualTo(after.get("changeNumber"));
    for (JsonNode image : after.get("products").get(0).get("images")) {
      JsonNode seen = images.get(image.get("imageId").asLong());
      assertThat(seen.get("status").asString()).isEqualTo("completed");
      assertThat(seen.get("previewUrl").asString()).endsWith(image.get("imageId") + "-before.jpg");
      assertThat(seen.get("quality").isInt()).as("the quality used, once completed").isTrue();
      for (String field :
          List.of(
              "outputUrl", "previewUrl", "inputBytes", "outputBytes", "quality", "changeNumber")) {
        assertThat(seen.get(field)).as(field).isEqualTo(image.get(field));
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> streams.openStreams() == 0);
  }

  @Test
  void sinceZeroOnAFinalRequestSendsEveryImageInOneEvent() throws Exception {
    gate.countDown();
    String id = upload(2);
    JsonNode status = api.awaitFinal(id, Duration.ofSeconds(20));

    List<Event> all =
        track(openStream(id, "?since=0")).untilEnd(StatusStream.PROGRESS, Duration.ofSeconds(10));
    assertThat(all).hasSize(1);
    JsonNode event = all.getFirst().data();
    assertThat(event.get("status").asString()).isEqualTo("completed");
    assertThat(event.get("changeNumber")).isEqualTo(status.get("changeNumber"));
    assertThat(event.get("images")).hasSize(2);
    assertThat(event.get("images").get(0).get("imageId"))
        .isEqualTo(status.get("products").get(0).get("images").get(0).get("imageId"));
  }

  @Test
  void aReconnectingEventSourceResumesAfterItsLastEventId() throws Exception {
    gate.countDown();
    String id = upload(2);
    long changeNumber = api.awaitFinal(id, Duration.ofSeconds(20)).get("changeNumber").asLong();

    HttpRequest reconnect =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/status/" + id + "/events?since=0"))
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", Long.toString(changeNumber))
            .build();
    List<Event> all =
        track(http.send(reconnect, HttpResponse.BodyHandlers.ofLines()))
            .untilEnd(StatusStream.PROGRESS, Duration.ofSeconds(10));
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().data().get("images")).isEmpty();
  }

  @Test
  void statusPagesItsProductsAndAlwaysCarriesTheCounts() {
    gate.countDown();
    String id = uploadProducts(5, 2);
    JsonNode whole = api.json(api.get("/status/" + id).body());
    assertThat(whole.get("totalProducts").asInt()).isEqualTo(5);
    assertThat(whole.get("products")).hasSize(5);
    assertThat(whole.has("page")).as("unpaged answers as before").isFalse();
    assertThat(whole.has("size")).isFalse();

    JsonNode page = api.json(api.get("/status/" + id + "?page=1&size=2").body());
    assertThat(page.get("page").asInt()).isEqualTo(1);
    assertThat(page.get("size").asInt()).isEqualTo(2);
    assertThat(page.get("totalProducts").asInt()).isEqualTo(5);
    assertThat(page.get("totalImages").asInt()).isEqualTo(10);
    assertThat(page.get("products")).hasSize(2);
    assertThat(page.get("products").get(0).get("serialNumber").asInt()).isEqualTo(3);
    assertThat(page.get("products").get(1).get("images").get(1).get("imageId"))
        .isEqualTo(whole.get("products").get(3).get("images").get(1).get("imageId"));
    assertThat(api.json(api.get("/status/" + id + "?page=2&size=2").body()).get("products"))
        .hasSize(1);
    assertThat(api.json(api.get("/status/" + id + "?page=9").body()).get("products")).isEmpty();
    JsonNode sizeOnly = api.json(api.get("/status/" + id + "?size=3").body());
    assertThat(sizeOnly.get("page").asInt()).isZero();
    assertThat(sizeOnly.get("products")).hasSize(3);
  }

  @Test
  void refusesABadPageSizeOrChangeNumberWith400() throws Exception {
    gate.countDown();
    String id = upload(1);
    Map<String, String> bad =
        Map.of(
            "/status/" + id + "?size=0", "size",
            "/status/" + id + "?size=1001", "size",
            "/status/" + id + "?page=-1", "page",
            "/status/" + id + "?page=x&size=10", "page");
    bad.forEach(
        (path, field) -> {
          HttpResponse<String> response = api.get(path);
          assertThat(response.statusCode()).as(path).isEqualTo(400);
          assertThat(api.json(response.body()).get("field").asString()).as(path).isEqualTo(field);
        });
    for (String since : List.of("-1", "x", "1.5")) {
      HttpResponse<String> response =
          http.send(eventsRequest(id, "?since=" + since), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(since).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(api.json(response.body()).get("field").asString()).isEqualTo("since");
    }
    assertThat(streams.openStreams()).isZero();
  }

  private String uploadProducts(int products, int imagesEach) {
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    for (int p = 1; p <= products; p++) {
      StringBuilder urls = new StringBuilder();
      for (int i = 0; i < imagesEach; i++) {
        urls.append(i == 0 ? "" : ",").append(origin.url("/gated/" + p + "-" + i + ".jpg"));
      }
      csv.append(p).append(",SKU").append(p).append(",\"").append(urls).append("\"\n");
    }
    HttpResponse<String> accepted = api.upload(csv.toString(), Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    return api.json(accepted.body()).get("requestId").asString();
  }

  private String upload(int images) {
    StringBuilder urls = new StringBuilder();
    for (int i = 0; i < images; i++) {
      urls.append(i == 0 ? "" : ",").append(origin.url("/gated/" + i + ".jpg"));
    }
    String csv = "S. No.,Product Name,Input Image Urls\n1,SKU,\"%s\"\n".formatted(urls);
    HttpResponse<String> accepted = api.upload(csv, Map.of());
    assertThat(accepted.statusCode()).isEqualTo(202);
    return api.json(accepted.body()).get("requestId").asString();
  }

  private HttpRequest eventsRequest(String id) {
    return eventsRequest(id, "");
  }

  private HttpRequest eventsRequest(String id, String query) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/status/" + id + "/events" + query))
        .header("Accept", "text/event-stream")
        .build();
  }

  private HttpResponse<Stream<String>> openStream(String id) throws Exception {
    return openStream(id, "");
  }

  private HttpResponse<Stream<String>> openStream(String id, String query) throws Exception {
    return http.send(eventsRequest(id, query), HttpResponse.BodyHandlers.ofLines());
  }

  private Events track(HttpResponse<Stream<String>> response) {
    Events events = new Events(response.body(), api);
    opened.add(events);
    return events;
  }

  /** One server-sent event: its id (null when it has none), name and JSON data. */
  record Event(String id, String name, JsonNode data) {}

  /** Reads an event stream's lines on a virtual thread, so every wait in a test is bounded. */
  static final class Events implements AutoCloseable {

    private static final String END = "\u0000end";
    private final Stream<String> lines;
    private final ApiClient api;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    Events(Stream<String> lines, ApiClient api) {
      this.lines = lines;
      this.api = api;
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  Iterator<String> it = lines.iterator();
                  while (it.hasNext()) {
                    queue.add(it.next());
                  }
                } catch (RuntimeException closedOrFailed) {
                  // closed by the test, or the connection dropped: either way the stream ended
                } finally {
                  queue.add(END);
                }
              });
    }

    /** Reads lines until one equals {@code wanted}; false when the stream ends or time is up. */
    boolean skipTo(String wanted, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(END)) {
          return false;
        }
        if (line.equals(wanted)) {
          return true;
        }
      }
      return false;
    }

    /** The data of the next {@code status} event; fails if the stream ends first. */
    JsonNode nextStatus(Duration timeout) throws InterruptedException {
      return next(StatusStream.STATUS, timeout).data();
    }

    /** The next event, which must be named {@code name}; fails if the stream ends first. */
    Event next(String name, Duration timeout) throws InterruptedException {
      Event event = nextOrNull(System.nanoTime() + timeout.toNanos());
      if (event == null) {
        throw new AssertionError("the event stream ended without a " + name + " event");
      }
      assertThat(event.name()).isEqualTo(name);
      return event;
    }

    /** Every further {@code status} event, up to the end of the stream, which must come. */
    List<JsonNode> statusesUntilEnd(Duration timeout) throws InterruptedException {
      return untilEnd(StatusStream.STATUS, timeout).stream().map(Event::data).toList();
    }

    /** Every further event, each named {@code name}, up to the end of the stream. */
    List<Event> untilEnd(String name, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Event> all = new ArrayList<>();
      for (Event e = nextOrNull(deadline); e != null; e = nextOrNull(deadline)) {
        assertThat(e.name()).isEqualTo(name);
        all.add(e);
      }
      return all;
    }

    private Event nextOrNull(long deadline) throws InterruptedException {
      String id = null;
      String event = null;
      String data = null;
      while (true) {
        String line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("the event stream neither sent an event nor ended in time");
        }
        if (line.equals(END)) {
          queue.add(END);
          return null;
        }
        if (line.startsWith("id:")) {
          id = line.substring("id:".length()).strip();
        } else if (line.startsWith("event:")) {
          event = line.substring("event:".length()).strip();
        } else if (line.startsWith("data:")) {
          data = line.substring("data:".length());
        } else if (line.isEmpty() && data != null) {
          return new Event(id, event, api.json(data));
        }
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }
}
