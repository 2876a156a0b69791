package io.imgpress.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving image origin on 127.0.0.1, one path per misbehaviour, on a raw server socket so it
 * can lie about lengths and cut connections mid-body, which a server library will not. Every answer
 * closes its connection, so no lie survives into the next request on a pooled connection. Each
 * accepted connection gets its own virtual thread; closing the origin closes every connection.
 *
 * <p>A path not listed answers 404. For a server that accepts and never reads a request line, use
 * {@link #silent()} (a separate port, as the request is never parsed).
 */
public final class ChaosOrigin implements AutoCloseable {

  /** What the origin does for one request, after its head has been read. */
  @FunctionalInterface
  public interface Behaviour {
    void serve(String path, OutputStream out) throws IOException, InterruptedException;
  }

  private final RawSocketServer server;
  private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final boolean silent;

  public ChaosOrigin() {
    this(false);
  }

  private ChaosOrigin(boolean silent) {
    this.silent = silent;
    this.server = new RawSocketServer(this::serve);
  }

  /** Accepts every connection and reads whatever comes, but never writes a byte. */
  public static ChaosOrigin silent() {
    return new ChaosOrigin(true);
  }

  /** Serves requests whose path starts with {@code prefix} by {@code behaviour}. */
  public ChaosOrigin on(String prefix, Behaviour behaviour) {
    routes.put(prefix, behaviour);
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** Requests received so far on paths starting with {@code prefix}. */
  public int hits(String prefix) {
    return hits.computeIfAbsent(prefix, p -> new AtomicInteger()).get();
  }

  /** 200 with the whole body and an honest length. */
  public static Behaviour ok(String contentType, byte[] body) {
    return (path, out) -> {
      head(out, "200 OK", contentType, "Content-Length: " + body.length);
      out.write(body);
    };
  }

  /** 200 with an honest length, then a byte at the given pace, for ever. */
  public static Behaviour slowDrip(Duration pace) {
    return (path, out) -> {
      head(out, "200 OK", "image/jpeg", "Content-Length: 1000000");
      while (true) {
        Thread.sleep(pace);
        out.write(0xFF);
        out.flush();
      }
    };
  }

  /**
   * Declares {@code body.length + extra} bytes, sends only {@code body}, then cuts the connection:
   * with {@code reset} by an RST (SO_LINGER 0) as a crashed server would, otherwise by a FIN as a
   * server that lied about the length would.
   */
  public static Behaviour shortBody(byte[] body, int extra, boolean reset) {
    return (path, out) -> {
      head(out, "200 OK", "image/jpeg", "Content-Length: " + (body.length + extra));
      out.write(body);
      out.flush();
      throw new Cut(reset);
    };
  }

  /** Declares {@code body.length} bytes and then sends {@code trailing} more after them. */
  public static Behaviour longBody(byte[] body, byte[] trailing) {
    return (path, out) -> {
      head(out, "200 OK", "image/jpeg", "Content-Length: " + body.length);
      out.write(body);
      out.write(trailing);
    };
  }

  /** Always 429 with the given {@code Retry-After}. */
  public static Behaviour rateLimited(String retryAfter) {
    return (path, out) ->
        head(
            out,
            "429 Too Many Requests",
            "text/plain",
            "Retry-After: " + retryAfter,
            "Content-Length: 0");
  }

  /** Every answer redirects to a path never seen before under the same prefix. */
  public static Behaviour endlessRedirects(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return (path, out) ->
        head(
            out,
            "302 Found",
            "text/plain",
            "Location: " + prefix + "/" + next.incrementAndGet(),
            "Content-Length: 0");
  }

  private static void head(OutputStream out, String status, String contentType, String... headers)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append("Connection: close\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Thrown by a behaviour to end its connection abruptly. */
  private static final class Cut extends IOException {
    final boolean reset;

    Cut(boolean reset) {
      super("cut");
      this.reset = reset;
    }
  }

  private void serve(Socket socket) throws IOException, InterruptedException {
    InputStream in = socket.getInputStream();
    if (silent) {
      while (in.read() >= 0) {
        // Takes in everything, answers nothing.
      }
      Thread.sleep(Long.MAX_VALUE);
    }
    String head = ChaosReceiver.readRequest(in);
    String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
    String prefix =
        routes.keySet().stream()
            .filter(path::startsWith)
            .max((a, b) -> Integer.compare(a.length(), b.length()))
            .orElse(null);
    OutputStream out = socket.getOutputStream();
    if (prefix == null) {
      head(out, "404 Not Found", "text/plain", "Content-Length: 0");
      return;
    }
    hits.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
    try {
      routes.get(prefix).serve(path, out);
      out.flush();
    } catch (Cut cut) {
      if (cut.reset) {
        socket.setSoLinger(true, 0); // close() now sends an RST
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
