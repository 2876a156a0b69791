package io.imgpress.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The image origin of {@code bench/pipeline.sh}: serves every file of one folder from memory on
 * loopback, each request on its own virtual thread, so that a 2-core machine can answer thousands
 * of requests a second (python's http.server cannot) and an added latency costs no thread.
 *
 * <pre>
 * java … BenchOrigin DIR [--port 0] [--delay-ms 0]
 * </pre>
 *
 * {@code --delay-ms} is slept before the response head of every request, as a distant origin would
 * make the service wait. The query string is ignored, so {@code a.jpg?copy=2} is {@code a.jpg}
 * under another URL. Prints {@code READY port=N files=N bytes=N} once it listens.
 */
public final class BenchOrigin {

  private BenchOrigin() {}

  public static void main(String[] args) throws IOException {
    // Without TCP_NODELAY a 50 KB answer waits for the client's delayed ACK: 44 ms per request
    // on loopback against 1 ms with it. Read when the server classes load, so set before them.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Path dir = null;
    int port = 0;
    long delayMs = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--delay-ms" -> delayMs = Long.parseLong(args[++i]);
        default -> dir = Path.of(args[i]);
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("usage: BenchOrigin DIR [--port N] [--delay-ms N]");
    }
    Map<String, byte[]> files = load(dir);
    long bytes = files.values().stream().mapToLong(b -> b.length).sum();

    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    long delay = delayMs;
    server.createContext("/", exchange -> serve(exchange, files, delay));
    server.start();
    System.out.printf(
        Locale.ROOT,
        "READY port=%d files=%d bytes=%d delay_ms=%d%n",
        server.getAddress().getPort(),
        files.size(),
        bytes,
        delayMs);
    System.out.flush();
  }

  private static Map<String, byte[]> load(Path dir) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(Files::isRegularFile).toList()) {
        files.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static void serve(HttpExchange exchange, Map<String, byte[]> files, long delayMs)
      throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      if (delayMs > 0) {
        try {
          Thread.sleep(delayMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String name =
          URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8)
              .substring(1);
      byte[] body = files.get(name);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", contentType(name));
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static String contentType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    return lower.endsWith(".jpg") || lower.endsWith(".jpeg")
        ? "image/jpeg"
        : "application/octet-stream";
  }
}
