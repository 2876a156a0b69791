package io.imgpress.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged jar run as a real process on a data dir, for tests that kill it or bound it. */
public final class JarProcess {

  private JarProcess() {}

  /**
   * Starts {@code target/imgpress.jar} on {@code port} with loopback sources allowed, and waits
   * until it answers its health check.
   *
   * @param jvmOptions options for the JVM, before {@code -jar}
   * @param arguments further application arguments
   */
  public static Process start(
      Path dataDir, int port, List<String> jvmOptions, List<String> arguments) throws IOException {
    return start(dataDir, port, jvmOptions, arguments, Map.of());
  }

  /** {@link #start(Path, int, List, List)} with {@code environment} added to the process's. */
  public static Process start(
      Path dataDir,
      int port,
      List<String> jvmOptions,
      List<String> arguments,
      Map<String, String> environment)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(Path.of("target/imgpress.jar").toAbsolutePath().toString());
    command.add("--server.port=" + port);
    command.add("--imgpress.data-dir=" + dataDir);
    command.add("--imgpress.fetch.allow-private-networks=true");
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("app-" + System.nanoTime() + ".log").toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    ApiClient api = new ApiClient("http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (api.get("/actuator/health").statusCode() == 200) {
          return process;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new AssertionError("app process exited with " + process.exitValue());
      }
      sleep(200);
    }
    process.destroyForcibly(); // not left running after the test that started it
    throw new AssertionError("app did not start within 120 s");
  }

  /** A CSV of {@code images} rows, each naming one image {@code /img/{n}.jpg} of the origin. */
  public static String oneImagePerRow(LoopbackServer origin, int images) {
    StringBuilder csv = new StringBuilder("S. No.,Product Name,Input Image Urls\n");
    for (int i = 1; i <= images; i++) {
      csv.append(i).append(",SKU").append(i).append(',');
      csv.append(origin.url("/img/" + i + ".jpg")).append('\n');
    }
    return csv.toString();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
