package io.imgpress.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A misbehaving HTTP receiver on 127.0.0.1, on a raw server socket so it can do what a well-behaved
 * server library will not: answer never, a byte at a time, or without end. Each accepted connection
 * gets its own virtual thread; closing the receiver closes every connection.
 */
public final class ChaosReceiver implements AutoCloseable {

  /** What the receiver does with one accepted connection. */
  @FunctionalInterface
  public interface Behaviour {
    void serve(InputStream in, OutputStream out) throws IOException, InterruptedException;
  }

  private final RawSocketServer server;

  public ChaosReceiver(Behaviour behaviour) {
    server =
        new RawSocketServer(
            socket -> behaviour.serve(socket.getInputStream(), socket.getOutputStream()));
  }

  /** Reads the request, then never answers. */
  public static ChaosReceiver silent() {
    return new ChaosReceiver(
        (in, out) -> {
          readRequest(in);
          Thread.sleep(Long.MAX_VALUE);
        });
  }

  /** Sends a status line, then one byte of a header line at the given pace, for ever. */
  public static ChaosReceiver drippingHeaders(Duration pace) {
    return new ChaosReceiver(
        (in, out) -> {
          readRequest(in);
          write(out, "HTTP/1.1 200 OK\r\nX-Drip: ");
          drip(out, pace);
        });
  }

  /** Answers 200 with a large declared body, then sends it one byte at the given pace. */
  public static ChaosReceiver drippingBody(Duration pace) {
    return new ChaosReceiver(
        (in, out) -> {
          readRequest(in);
          write(
              out,
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n");
          drip(out, pace);
        });
  }

  /** Answers with the given status and a chunked body that never ends, sent as fast as it goes. */
  public static ChaosReceiver endlessBody(int status) {
    return new ChaosReceiver(
        (in, out) -> {
          readRequest(in);
          write(out, "HTTP/1.1 " + status + " X\r\nTransfer-Encoding: chunked\r\n\r\n");
          byte[] chunk =
              ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
          while (true) {
            out.write(chunk);
          }
        });
  }

  /** Reads one request head and a body of its Content-Length, and returns the head. */
  public static String readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      head.append((char) b);
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
    return head.toString();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void drip(OutputStream out, Duration pace)
      throws IOException, InterruptedException {
    while (true) {
      Thread.sleep(pace);
      out.write('x');
      out.flush();
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** Connections accepted so far. */
  public int connections() {
    return server.accepted();
  }

  @Override
  public void close() {
    server.close();
  }
}
