package io.imgpress.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server on loopback for the tests: S3Proxy (its release jar, which the build copies to
 * {@code target/s3proxy/s3proxy.jar}) in a JVM of its own, keeping objects on the local file system
 * (its {@code filesystem-nio2} store, which honours {@code If-None-Match: *} atomically with a hard
 * link) and checking AWS signatures against {@link #ACCESS_KEY}/{@link #SECRET_KEY}. One server
 * serves every test of a test JVM and stops with it; tests keep apart by using buckets of their
 * own.
 */
public final class S3ProxyServer {

  public static final String ACCESS_KEY = "imgpress-test-key";
  public static final String SECRET_KEY = "imgpress-test-secret";
  public static final String REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /**
   * Jetty's line once it listens, e.g. {@code Started
   * ...ServerConnector@1e1d3956{...}{127.0.0.1:44429}}.
   */
  private static final Pattern LISTENING =
      Pattern.compile("Started \\S*ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)}");

  private static S3ProxyServer shared;

  private final Process process;
  private final Path folder;
  private final URI endpoint;
  private final S3Client admin;

  private S3ProxyServer(Process process, Path folder, URI endpoint) {
    this.process = process;
    this.folder = folder;
    this.endpoint = endpoint;
    this.admin =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.of(REGION))
            .forcePathStyle(true)
            .credentialsProvider(credentials())
            .build();
  }

  /** The server of this test JVM, started on first use. */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3proxy-stop"));
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** A client for setting up and inspecting buckets, apart from the one under test. */
  public S3Client admin() {
    return admin;
  }

  /** Creates a bucket no other test uses and returns its name. */
  public String createBucket() {
    String bucket = "test-" + UUID.randomUUID().toString().substring(0, 18);
    admin.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** The key of every object in {@code bucket}, from its listing. */
  public Set<String> objects(String bucket) {
    return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .collect(Collectors.toSet());
  }

  private static S3ProxyServer start() {
    Path jar =
        Path.of(System.getProperty("imgpress.test.s3proxy-jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath()
              + " is missing: the Maven build copies S3Proxy there (./mvnw test-compile, or any"
              + " later phase, before running the storage tests from an IDE)");
    }
    try {
      Path folder = Files.createTempDirectory("imgpress-s3proxy");
      Path data = Files.createDirectories(folder.resolve("data"));
      Path log = folder.resolve("s3proxy.log");
      Path conf = folder.resolve("s3proxy.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "s3proxy.endpoint=http://127.0.0.1:0",
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + SECRET_KEY,
              "jclouds.provider=filesystem-nio2",
              "jclouds.filesystem.basedir=" + data,
              ""));
      Process process =
          new ProcessBuilder(
                  List.of(
                      ProcessHandle.current().info().command().orElse("java"),
                      "-Xmx256m",
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar.toAbsolutePath().toString(),
                      "--properties",
                      conf.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        int port = awaitPort(process, log);
        return new S3ProxyServer(process, folder, URI.create("http://127.0.0.1:" + port));
      } catch (RuntimeException | Error e) {
        process.destroyForcibly();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not start S3Proxy", e);
    }
  }

  private static int awaitPort(Process process, Path log) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Matcher listening = LISTENING.matcher(output);
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "S3Proxy exited with " + process.exitValue() + " before listening:\n" + tail(output));
      }
      JarProcess.sleep(100);
    }
    throw new IllegalStateException(
        "S3Proxy did not listen within "
            + START_TIMEOUT.toSeconds()
            + " s:\n"
            + tail(Files.readString(log, StandardCharsets.UTF_8)));
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
  }

  private void stop() {
    admin.close();
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder; the system cleans it eventually
    }
  }
}
