package io.imgpress.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis server of this test JVM: {@code redis-server} (Debian's package {@code redis-server},
 * or the binary {@code -Dimgpress.test.redis-server} names) started as a child process on a free
 * loopback port, without persistence, on first use, and stopped when the JVM exits. Tests keep
 * apart with key prefixes of their own or {@link #flushAll}. A missing {@code redis-server} fails
 * the tests; never the Redis that may run on this machine's port 6379.
 */
public final class TestRedis {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static TestRedis shared;

  private final Path binary;
  private final Path folder;
  private final int port;
  private Process process;

  private TestRedis(Path binary, Path folder, int port) {
    this.binary = binary;
    this.folder = folder;
    this.port = port;
  }

  /** The server of this test JVM, started on first use. */
  public static synchronized TestRedis shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-redis-stop"));
    }
    return shared;
  }

  /** For {@code spring.data.redis.url}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Deletes every key. */
  public void flushAll() {
    String reply = command("FLUSHALL");
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException("FLUSHALL answered " + reply);
    }
  }

  /**
   * Kills the server ({@code SIGKILL}) and starts a new one on the same port with no data: a Redis
   * restarted without persistence. Clients reconnect to it.
   */
  public synchronized void restartEmpty() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not die within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting Redis", e);
    }
    launch();
  }

  private static TestRedis start() {
    Path binary = binary();
    try {
      Path folder = Files.createTempDirectory("imgpress-redis");
      IllegalStateException last = null;
      // A free port may be taken between looking and binding: try a few.
      for (int attempt = 0; attempt < 3; attempt++) {
        TestRedis redis = new TestRedis(binary, folder, JarProcess.freePort());
        try {
          redis.launch();
          return redis;
        } catch (IllegalStateException e) {
          last = e;
        }
      }
      throw last;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start redis-server", e);
    }
  }

  private static Path binary() {
    String given = System.getProperty("imgpress.test.redis-server");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    Path debian = Path.of("/usr/bin/redis-server");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    throw new IllegalStateException(
        "redis-server is missing: the Redis queue tests start their own (apt-get install"
            + " redis-server, or -Dimgpress.test.redis-server=/path/to/redis-server)");
  }

  private synchronized void launch() {
    Path log = folder.resolve("redis-" + port + ".log");
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--dir",
                      folder.toString(),
                      "--daemonize",
                      "no"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + binary, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with " + process.exitValue() + ":\n" + read(log));
      }
      try {
        // Ours, not a server that took the port first (ours would then exit).
        if (command("INFO server").contains("process_id:" + process.pid() + "\r\n")) {
          return;
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      JarProcess.sleep(50);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "redis-server did not answer within " + START_TIMEOUT.toSeconds() + " s:\n" + read(log));
  }

  /**
   * One inline command over a connection of its own: the reply's first line, followed for a bulk
   * string ({@code $length}) by its content.
   */
  private String command(String command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (line.length() > 1 && line.charAt(0) == '$' && line.charAt(1) != '-') {
        byte[] bulk = in.readNBytes(Integer.parseInt(line.substring(1)));
        return line + "\n" + new String(bulk, StandardCharsets.UTF_8);
      }
      return line.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private synchronized void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder; the system cleans it eventually
    }
  }
}
