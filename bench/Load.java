// The load client of bench/load.sh (issue 13), a single-file program run with JDK 25:
//
//   java bench/Load.java --base URL --origin URL [--clients 50] [--duration 180] [--poll-ms 500]
//       [--sse-every 4] [--products 3] [--urls 3] [--photos 100] [--tiny 300]
//       [--pid-file F] [--storage-dir DIR] [--follow-timeout 1200] [--drain-timeout 1200]
//
// CLIENTS clients (virtual threads) loop for DURATION seconds: upload a CSV of PRODUCTS rows of
// URLS distinct image URLs on the loopback origin (one photo-NNNNN.jpg, the others tiny-NNNNN.jpg,
// every URL made distinct by its query string), follow GET /status/{id}?page=0&size=100 every
// POLL_MS until the request is final (every SSE_EVERY-th client also follows
// /status/{id}/events, reconnecting with Last-Event-ID), then download GET /csv/{id} and every
// output image. Every /upload and /status answer is timed and its status code counted. A 429 or
// 503 with Retry-After on /upload is waited out and counted apart; a connection error (the
// service killed and restarting) is counted apart and the call tried again after 0.5 s. Every
// 5 s a sampler reads the RSS of the pids in PID_FILE (added up; load.sh rewrites it on a restart)
// and the heap in use from /actuator/metrics/jvm.memory.used?tag=area:heap.
//
// On PostgreSQL the jobs a killed process held come back when their leases run out
// (imgpress.processing.lease, 10 min by default), hence the 20-minute follow and drain timeouts.
// After DURATION, clients finish the request they follow, then every request the service lists
// (GET /requests) must be final; the output files in STORAGE_DIR (local images folder or the
// S3Proxy bucket folder), named {imageId}.jpg, must equal the completed images in number, and no
// output URL may appear twice. Prints latencies, rates, memory, counts and PASS/FAIL per check;
// exits 1 on any FAIL.

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public class Load {

  static final Map<String, String> opts = new HashMap<>();
  static String base;
  static String origin;
  static int clients;
  static long durationMs;
  static long pollMs;
  static int sseEvery;
  static int products;
  static int urls;
  static int photos;
  static int tiny;
  static Path pidFile;
  static Path storageDir;
  static long followTimeoutMs;
  static long drainTimeoutMs;

  static final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final long t0 = System.nanoTime();

  // --- what is measured ---
  // {when the call started, its latency}, nanoseconds
  static final List<long[]> uploadNanos = Collections.synchronizedList(new ArrayList<>());
  static final List<long[]> statusNanos = Collections.synchronizedList(new ArrayList<>());
  static final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
  static final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  static final List<String> problems = new CopyOnWriteArrayList<>();
  static final Set<String> accepted = ConcurrentHashMap.newKeySet();
  static final Set<String> outputUrls = ConcurrentHashMap.newKeySet();
  static final List<double[]> memory = new CopyOnWriteArrayList<>(); // t s, pid, rss MB, heap MB
  static final AtomicLong firstConnError = new AtomicLong(-1);
  static final AtomicLong lastConnError = new AtomicLong(-1);

  static void count(String name) {
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  static long counter(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  static void problem(String text) {
    count("problems");
    if (problems.size() < 40) {
      problems.add(String.format(Locale.ROOT, "t=%.1fs %s", seconds(), text));
    }
  }

  static double seconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  public static void main(String[] args) throws Exception {
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    base = required("base");
    origin = required("origin");
    clients = Integer.parseInt(opts.getOrDefault("clients", "50"));
    durationMs = (long) (Double.parseDouble(opts.getOrDefault("duration", "180")) * 1000);
    pollMs = Long.parseLong(opts.getOrDefault("poll-ms", "500"));
    sseEvery = Integer.parseInt(opts.getOrDefault("sse-every", "4"));
    products = Integer.parseInt(opts.getOrDefault("products", "3"));
    urls = Integer.parseInt(opts.getOrDefault("urls", "3"));
    photos = Integer.parseInt(opts.getOrDefault("photos", "100"));
    tiny = Integer.parseInt(opts.getOrDefault("tiny", "300"));
    pidFile = opts.containsKey("pid-file") ? Path.of(opts.get("pid-file")) : null;
    storageDir = opts.containsKey("storage-dir") ? Path.of(opts.get("storage-dir")) : null;
    followTimeoutMs = Long.parseLong(opts.getOrDefault("follow-timeout", "1200")) * 1000;
    drainTimeoutMs = Long.parseLong(opts.getOrDefault("drain-timeout", "1200")) * 1000;

    // bench/load.sh times its kill from this line: compiling this file may take seconds.
    System.out.println("LOAD started");
    System.out.flush();
    Thread sampler = Thread.ofPlatform().daemon().start(Load::sample);
    long end = System.nanoTime() + durationMs * 1_000_000;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int id = c;
      threads.add(Thread.ofVirtual().name("client-" + c).start(() -> client(id, end)));
    }
    for (Thread t : threads) {
      t.join();
    }
    double loadEnd = seconds();
    sampler.interrupt();
    Map<String, Object> totals = reconcile();
    double allFinal = seconds();
    report(loadEnd, allFinal, totals);
  }

  static String required(String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  // --- one client ---
  static void client(int id, long end) {
    int iteration = 0;
    while (System.nanoTime() < end) {
      iteration++;
      try {
        String requestId = upload(id, iteration, end);
        if (requestId == null) {
          break; // the load phase ended while waiting out a refusal
        }
        follow(requestId, id % sseEvery == 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        problem("client " + id + ": " + e);
      }
    }
  }

  static String csv(int client, int iteration, int attempt) {
    StringBuilder b = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    int n = 0;
    for (int p = 1; p <= products; p++) {
      b.append(p).append(",SKU ").append(client).append('-').append(iteration).append('-').append(p);
      b.append(",\"");
      for (int u = 0; u < urls; u++) {
        int seq = Math.floorMod((client * 7919 + iteration * 104729 + n++), 1_000_000);
        String file =
            u == 0
                ? String.format("photo-%05d.jpg", 1 + seq % photos)
                : String.format("tiny-%05d.jpg", 1 + seq % tiny);
        b.append(u == 0 ? "" : ",").append(origin).append('/').append(file);
        b.append("?r=").append(client).append('-').append(iteration).append('-').append(attempt);
        b.append("&u=").append(p).append('-').append(u);
      }
      b.append("\"\n");
    }
    return b.toString();
  }

  /** Uploads until a 202 (returns the request id) or until the load phase is over (null). */
  static String upload(int client, int iteration, long end) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      String boundary = "load-" + client + "-" + iteration + "-" + attempt;
      String body =
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.csv\"\r\n"
              + "Content-Type: text/csv\r\n\r\n"
              + csv(client, iteration, attempt)
              + "\r\n--"
              + boundary
              + "--\r\n";
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/upload"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      long start = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        connectionError("upload", e);
        if (System.nanoTime() > end) {
          return null;
        }
        continue;
      }
      uploadNanos.add(new long[] {start - t0, System.nanoTime() - start});
      int code = response.statusCode();
      code("upload", code);
      if (code == 202) {
        String id = (String) ((Map<?, ?>) Json.parse(response.body())).get("requestId");
        accepted.add(id);
        count("uploads accepted");
        return id;
      }
      var retryAfter = response.headers().firstValue("Retry-After");
      if ((code == 429 || code == 503) && retryAfter.isPresent()) {
        count("uploads refused with Retry-After (" + code + ")");
        Thread.sleep(Long.parseLong(retryAfter.get().trim()) * 1000);
      } else {
        count(code < 500 ? "unexpected 4xx" : "5xx");
        problem("upload answered " + code + ": " + abbreviate(response.body()));
        Thread.sleep(1000);
      }
      if (System.nanoTime() > end) {
        return null;
      }
    }
  }

  static void connectionError(String what, Exception e) throws InterruptedException {
    count("connection errors (" + what + ")");
    if (counter("connection errors (" + what + ")") <= 2) {
      problem("connection error (" + what + "): " + e);
    }
    long now = System.nanoTime() - t0;
    firstConnError.compareAndSet(-1, now);
    lastConnError.accumulateAndGet(now, Math::max);
    Thread.sleep(500);
  }

  static void code(String endpoint, int code) {
    codes.computeIfAbsent(endpoint + " " + code, k -> new LongAdder()).increment();
    // A 503 of /upload (backlog full) or of the event stream (too many open) is an answer the API
    // documents, with Retry-After: counted apart; /upload counts one without Retry-After itself.
    if (code >= 500 && !(code == 503 && (endpoint.equals("upload") || endpoint.equals("events")))) {
      count("5xx");
    }
  }

  /** Follows one request to its end, then downloads its CSV and outputs. */
  static void follow(String id, boolean sse) throws InterruptedException {
    Sse stream = null;
    if (sse) {
      stream = new Sse(id);
      stream.thread = Thread.ofVirtual().start(stream);
    }
    long deadline = System.nanoTime() + followTimeoutMs * 1_000_000;
    Map<?, ?> doc = null;
    while (true) {
      doc = status(id, "?page=0&size=100");
      if (doc != null && isFinal(doc)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        problem("request " + id + " not final after " + followTimeoutMs / 1000 + " s: " + doc);
        count("requests not final in time");
        if (stream != null) {
          stream.stop();
        }
        return;
      }
      Thread.sleep(sse ? 4 * pollMs : pollMs);
    }
    count("requests followed to the end");
    if (stream != null) {
      stream.thread.join(15_000);
      if (stream.thread.isAlive()) {
        stream.stop();
        count("event streams still open 15 s after /status was final");
      } else if (stream.sawFinal) {
        count("event streams ended with the final event");
      }
    }
    downloads(id, doc);
  }

  static boolean isFinal(Map<?, ?> doc) {
    Object s = doc.get("status");
    return "completed".equals(s) || "failed".equals(s);
  }

  /** GET /status/{id}QUERY, timed; null after a connection error or a non-200. */
  static Map<?, ?> status(String id, String query) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/status/" + id + query))
            .timeout(Duration.ofSeconds(60))
            .build();
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      connectionError("status", e);
      return null;
    }
    statusNanos.add(new long[] {start - t0, System.nanoTime() - start});
    code("status", response.statusCode());
    if (response.statusCode() != 200) {
      if (response.statusCode() == 404) {
        count("accepted requests answered 404");
      } else if (response.statusCode() < 500) {
        count("unexpected 4xx");
      }
      problem("status of " + id + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
      Thread.sleep(pollMs);
      return null;
    }
    return (Map<?, ?>) Json.parse(response.body());
  }

  static HttpResponse<byte[]> get(String what, String url) throws InterruptedException {
    while (true) {
      try {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base).resolve(url))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        code(what, r.statusCode());
        return r;
      } catch (IOException e) {
        connectionError(what, e);
      }
    }
  }

  /** The result CSV and every output of a final request, checked against its status. */
  static void downloads(String id, Map<?, ?> doc) throws InterruptedException {
    Map<String, Long> expected = new HashMap<>(); // output URL -> outputBytes
    int images = 0;
    for (Object p : (List<?>) doc.get("products")) {
      for (Object i : (List<?>) ((Map<?, ?>) p).get("images")) {
        Map<?, ?> image = (Map<?, ?>) i;
        images++;
        Object s = image.get("status");
        if ("completed".equals(s)) {
          String url = (String) image.get("outputUrl");
          expected.put(url, ((Number) image.get("outputBytes")).longValue());
          if (!outputUrls.add(url)) {
            problem("output URL given twice: " + url);
            count("output URLs given twice");
          }
        } else if ("failed".equals(s)) {
          count("images failed");
          problem("image " + image.get("imageId") + " of " + id + " failed: " + image.get("error"));
        } else {
          count("images not final in a final request");
        }
      }
    }
    count("images followed");
    counters.computeIfAbsent("images in followed requests", k -> new LongAdder()).add(images);
    HttpResponse<byte[]> csv = get("csv", "/csv/" + id);
    if (csv.statusCode() != 200) {
      problem("csv of " + id + " answered " + csv.statusCode());
      count("result CSVs wrong");
    } else {
      Set<String> listed = new HashSet<>();
      Matcher m =
          Pattern.compile("https?://[^,\"\\s]+/images/[^,\"\\s]+")
              .matcher(new String(csv.body(), StandardCharsets.UTF_8));
      while (m.find()) {
        listed.add(m.group());
      }
      if (!listed.equals(expected.keySet())) {
        problem("csv of " + id + " lists " + listed + ", status " + expected.keySet());
        count("result CSVs wrong");
      } else {
        count("result CSVs right");
      }
    }
    for (var e : expected.entrySet()) {
      HttpResponse<byte[]> image = get("image", e.getKey());
      byte[] b = image.body();
      boolean jpeg = b.length > 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
      if (image.statusCode() != 200 || !jpeg || b.length != e.getValue()) {
        problem("output " + e.getKey() + ": " + image.statusCode() + ", " + b.length + " bytes, expected " + e.getValue());
        count("outputs wrong");
      } else {
        count("outputs downloaded");
      }
    }
  }

  /** Follows /status/{id}/events until the event that shows the request final. */
  static final class Sse implements Runnable {
    final String id;
    Thread thread;
    volatile boolean sawFinal;
    volatile boolean stopped; // given up by its client: what the interrupt then breaks is no error
    String lastEventId;

    void stop() {
      stopped = true;
      thread.interrupt();
    }

    Sse(String id) {
      this.id = id;
    }

    @Override
    public void run() {
      count("event streams opened");
      while (!sawFinal && !stopped) {
        var b = HttpRequest.newBuilder(URI.create(base + "/status/" + id + "/events?since=0"));
        if (lastEventId != null) {
          b.header("Last-Event-ID", lastEventId);
        }
        try {
          HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
          code("events", r.statusCode());
          if (r.statusCode() != 200) {
            r.body().close();
            if (r.statusCode() == 503) {
              count("event streams refused (503, polling only)");
            } else {
              problem("events of " + id + " answered " + r.statusCode());
            }
            return;
          }
          try (Stream<String> lines = r.body()) {
            lines.forEach(this::line);
          }
          if (!sawFinal) {
            count("event streams cut before the final event (reconnected)");
            Thread.sleep(500);
          }
        } catch (IOException | UncheckedIOException e) {
          if (!sawFinal && !stopped) {
            try {
              connectionError("events", e);
            } catch (InterruptedException ie) {
              return;
            }
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void line(String line) {
      if (line.startsWith("id:")) {
        lastEventId = line.substring(3).trim();
      } else if (line.startsWith("data:")) {
        count("events received");
        Object data = Json.parse(line.substring(5).trim());
        if (data instanceof Map<?, ?> m && isFinal(m)) {
          sawFinal = true;
        }
      }
    }
  }

  // --- memory ---
  static void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      double rss = Double.NaN;
      double heap = Double.NaN;
      long pid = -1;
      try {
        if (pidFile != null) {
          // comma-separated when the service is several processes (split): their RSS added up
          String[] pids = Files.readString(pidFile).trim().split(",");
          pid = Long.parseLong(pids[0]);
          double sum = 0;
          for (String p : pids) {
            for (String l : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
              if (l.startsWith("VmRSS:")) {
                sum += Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
              }
            }
          }
          rss = sum;
        }
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(base + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          Map<?, ?> m = (Map<?, ?>) Json.parse(r.body());
          Map<?, ?> first = (Map<?, ?>) ((List<?>) m.get("measurements")).get(0);
          heap = ((Number) first.get("value")).doubleValue() / (1024 * 1024);
        }
      } catch (IOException | RuntimeException e) {
        // the service is restarting: this sample keeps what it could read
      } catch (InterruptedException e) {
        return;
      }
      memory.add(new double[] {seconds(), pid, rss, heap});
      try {
        Thread.sleep(5000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // --- after the load: every request the service knows, and the stored files ---
  static Map<String, Object> reconcile() throws InterruptedException {
    long deadline = System.nanoTime() + drainTimeoutMs * 1_000_000;
    Map<String, Object> totals = new LinkedHashMap<>();
    while (true) {
      List<Map<?, ?>> all = new ArrayList<>();
      for (int page = 0; ; page++) {
        HttpResponse<byte[]> r = get("requests", "/requests?page=" + page + "&size=100");
        if (r.statusCode() != 200) {
          problem("/requests answered " + r.statusCode());
          Thread.sleep(1000);
          page--;
          continue;
        }
        Map<?, ?> m = (Map<?, ?>) Json.parse(new String(r.body(), StandardCharsets.UTF_8));
        for (Object o : (List<?>) m.get("items")) {
          all.add((Map<?, ?>) o);
        }
        if (!Boolean.TRUE.equals(m.get("hasMore"))) {
          break;
        }
      }
      long notFinal = all.stream().filter(m -> !isFinal(m)).count();
      if (notFinal == 0 || System.nanoTime() > deadline) {
        long images = 0;
        long processed = 0;
        long failed = 0;
        Set<String> listed = new HashSet<>();
        for (Map<?, ?> m : all) {
          listed.add((String) m.get("requestId"));
          images += ((Number) m.get("totalImages")).longValue();
          processed += ((Number) m.get("processedImages")).longValue();
          failed += ((Number) m.get("failedImages")).longValue();
        }
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(listed);
        totals.put("requests listed", (long) all.size());
        totals.put("requests not final", notFinal);
        totals.put("accepted requests missing from the list", (long) missing.size());
        totals.put("requests accepted without the client seeing the 202",
            (long) (all.size() - (accepted.size() - missing.size())));
        totals.put("images", images);
        totals.put("images processed", processed);
        totals.put("images failed", failed);
        totals.put("images completed", processed - failed);
        if (storageDir != null) {
          try (Stream<Path> files = Files.walk(storageDir)) {
            List<Path> all2 = files.filter(Files::isRegularFile).toList();
            long outputs = all2.stream().filter(p -> p.getFileName().toString().matches("[0-9]+\\.jpg")).count();
            totals.put("output files stored", outputs);
            totals.put("other files in storage", all2.size() - outputs);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return totals;
      }
      Thread.sleep(2000);
    }
  }

  // --- the report ---
  static void report(double loadEnd, double allFinal, Map<String, Object> totals) {
    System.out.printf(Locale.ROOT, "load: %d clients for %.0f s (%d products x %d URLs per upload, every %d%s client on the event stream, /status every %d ms)%n",
        clients, durationMs / 1000.0, products, urls, sseEvery, sseEvery == 1 ? "st" : "th", pollMs);
    System.out.printf(Locale.ROOT, "load phase %.1f s, every request final at %.1f s%n", loadEnd, allFinal);
    if (firstConnError.get() >= 0) {
      System.out.printf(Locale.ROOT, "connection errors from %.1f s to %.1f s%n", firstConnError.get() / 1e9, lastConnError.get() / 1e9);
    }
    System.out.println();
    System.out.println("latency ms                                calls     p50     p95     p99      max");
    long first = firstConnError.get() < 0 ? Long.MAX_VALUE : firstConnError.get();
    long last = lastConnError.get();
    latency("/upload", uploadNanos, 0, Long.MAX_VALUE);
    latency("/status", statusNanos, 0, Long.MAX_VALUE);
    if (last >= 0) {
      latency("/upload before the first connection error", uploadNanos, 0, first);
      latency("/status before the first connection error", statusNanos, 0, first);
      latency("/upload after the last connection error", uploadNanos, last, Long.MAX_VALUE);
      latency("/status after the last connection error", statusNanos, last, Long.MAX_VALUE);
    }
    System.out.println();
    long images = (Long) totals.get("images");
    long requests = (Long) totals.get("requests listed");
    System.out.printf(Locale.ROOT, "throughput: %.2f requests/s, %.1f images/s (%d requests, %d images, over %.1f s until all final)%n",
        requests / allFinal, images / allFinal, requests, images, allFinal);
    System.out.println();
    memoryReport(loadEnd);
    System.out.println();
    System.out.println("status codes:");
    new TreeMap<>(codes).forEach((k, v) -> System.out.printf("  %-24s %d%n", k, v.sum()));
    System.out.println("counts:");
    new TreeMap<>(counters).forEach((k, v) -> System.out.printf("  %-60s %d%n", k, v.sum()));
    totals.forEach((k, v) -> System.out.printf("  %-60s %s%n", k, v));
    if (!problems.isEmpty()) {
      System.out.println("problems (first " + problems.size() + "):");
      problems.forEach(p -> System.out.println("  " + p));
    }
    System.out.println();
    boolean ok = true;
    ok &= check("no 5xx (503 of /upload with Retry-After excepted)", counter("5xx") == 0, counter("5xx") + " 5xx");
    ok &= check("no unexpected 4xx", counter("unexpected 4xx") == 0 && counter("accepted requests answered 404") == 0,
        counter("unexpected 4xx") + " unexpected 4xx, " + counter("accepted requests answered 404") + " 404 for accepted requests");
    ok &= check("requests were accepted", !accepted.isEmpty(), accepted.size() + " accepted");
    ok &= check("every accepted request listed and final",
        (Long) totals.get("accepted requests missing from the list") == 0 && (Long) totals.get("requests not final") == 0
            && counter("requests not final in time") == 0,
        accepted.size() + " accepted, " + totals.get("accepted requests missing from the list") + " missing, "
            + totals.get("requests not final") + " not final");
    ok &= check("every image final", (Long) totals.get("images processed") == images && counter("images not final in a final request") == 0,
        totals.get("images processed") + " of " + images + " processed");
    ok &= check("no image failed (the origin serves every URL)", (Long) totals.get("images failed") == 0,
        totals.get("images failed") + " failed");
    ok &= check("every result CSV and output downloadable and right",
        counter("result CSVs wrong") == 0 && counter("outputs wrong") == 0,
        counter("result CSVs right") + " CSVs and " + counter("outputs downloaded") + " outputs right, "
            + counter("result CSVs wrong") + " and " + counter("outputs wrong") + " wrong");
    if (totals.containsKey("output files stored")) {
      ok &= check("no image stored twice or lost: output files = completed images",
          totals.get("output files stored").equals(totals.get("images completed")) && counter("output URLs given twice") == 0,
          totals.get("output files stored") + " files, " + totals.get("images completed") + " completed images, "
              + counter("output URLs given twice") + " output URLs given twice");
    }
    ok &= memoryCheck(loadEnd);
    System.out.println(ok ? "RESULT PASS" : "RESULT FAIL");
    System.exit(ok ? 0 : 1);
  }

  static boolean check(String what, boolean pass, String detail) {
    System.out.printf("  %s  %s: %s%n", pass ? "PASS" : "FAIL", what, detail);
    return pass;
  }

  /** Percentiles of the calls started in [from, to) nanoseconds after the client started. */
  static void latency(String name, List<long[]> calls, long from, long to) {
    List<Long> sorted = new ArrayList<>();
    synchronized (calls) {
      for (long[] c : calls) {
        if (c[0] >= from && c[0] < to) {
          sorted.add(c[1]);
        }
      }
    }
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.printf("%-41s %7d%n", name, 0);
      return;
    }
    System.out.printf(Locale.ROOT, "%-41s %7d %7.1f %7.1f %7.1f %8.1f%n", name, sorted.size(),
        pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.getLast() / 1e6);
  }

  static double pct(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  static double[] window(double from, double to) { // mean RSS, max RSS, mean heap, max heap, n
    double rss = 0, rssMax = 0, heap = 0, heapMax = 0;
    int n = 0, h = 0;
    for (double[] s : memory) {
      if (s[0] >= from && s[0] < to && !Double.isNaN(s[2])) {
        n++;
        rss += s[2];
        rssMax = Math.max(rssMax, s[2]);
        if (!Double.isNaN(s[3])) {
          h++;
          heap += s[3];
          heapMax = Math.max(heapMax, s[3]);
        }
      }
    }
    return new double[] {n == 0 ? Double.NaN : rss / n, rssMax, h == 0 ? Double.NaN : heap / h, heapMax, n};
  }

  static void memoryReport(double loadEnd) {
    double[] first = window(0, 60);
    double[] last = window(loadEnd - 60, loadEnd + 1);
    System.out.println("memory (samples every 5 s)   samples  RSS MB mean   max   heap used MB mean   max");
    System.out.printf(Locale.ROOT, "  first minute              %7.0f  %11.0f %5.0f  %17.0f %5.0f%n", first[4], first[0], first[1], first[2], first[3]);
    System.out.printf(Locale.ROOT, "  last minute               %7.0f  %11.0f %5.0f  %17.0f %5.0f%n", last[4], last[0], last[1], last[2], last[3]);
    StringBuilder line = new StringBuilder("  samples (s:RSS/heap MB):");
    long pid = -2;
    for (double[] s : memory) {
      if ((long) s[1] != pid) {
        pid = (long) s[1];
        line.append(" [pid ").append(pid).append(']');
      }
      line.append(String.format(Locale.ROOT, " %.0f:%.0f/%.0f", s[0], s[2], s[3]));
    }
    System.out.println(line);
  }

  /** Flat: the last minute's mean RSS at most 1.25x the first minute's. */
  static boolean memoryCheck(double loadEnd) {
    double[] first = window(0, 60);
    double[] last = window(loadEnd - 60, loadEnd + 1);
    if (Double.isNaN(first[0]) || Double.isNaN(last[0])) {
      System.out.println("  n/a   memory flat: no RSS sample in the first or the last minute");
      return true;
    }
    double ratio = last[0] / first[0];
    return check("memory flat: last minute's mean RSS <= 1.25x the first minute's", ratio <= 1.25,
        String.format(Locale.ROOT, "%.0f MB against %.0f MB, %.2fx", last[0], first[0], ratio));
  }

  static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  /** Just enough JSON: objects, arrays, strings, numbers, true, false, null. */
  static final class Json {
    final String s;
    int i;

    Json(String s) {
      this.s = s;
    }

    static Object parse(String s) {
      Json j = new Json(s);
      Object v = j.value();
      return v;
    }

    Object value() {
      ws();
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          while (true) {
            ws();
            String k = string();
            ws();
            i++; // :
            m.put(k, value());
            ws();
            if (s.charAt(i++) == '}') {
              return m;
            }
          }
        }
        case '[' -> {
          i++;
          List<Object> l = new ArrayList<>();
          ws();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          while (true) {
            l.add(value());
            ws();
            if (s.charAt(i++) == ']') {
              return l;
            }
          }
        }
        case '"' -> {
          return string();
        }
        case 't' -> {
          i += 4;
          return Boolean.TRUE;
        }
        case 'f' -> {
          i += 5;
          return Boolean.FALSE;
        }
        case 'n' -> {
          i += 4;
          return null;
        }
        default -> {
          int start = i;
          while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          return Double.parseDouble(s.substring(start, i));
        }
      }
    }

    String string() {
      StringBuilder b = new StringBuilder();
      i++; // opening quote
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
