package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.ImgpressProperties;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSecretTest {

  @TempDir Path dataDir;

  @Test
  void usesTheConfiguredSecret() {
    WebhookSecret secret = start("from-env", dataDir);
    assertThat(secret.key()).isEqualTo("from-env".getBytes(StandardCharsets.UTF_8));
    assertThat(dataDir.resolve("webhook-secret")).doesNotExist();
  }

  @Test
  void generatesOneOwnerOnlySecretAndKeepsItAcrossRestarts() throws Exception {
    byte[] first = start(null, dataDir).key();
    byte[] second = start("", dataDir).key();

    assertThat(first).hasSize(64).isEqualTo(second);
    Path file = dataDir.resolve("webhook-secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void keepsASecretAnOperatorWroteIntoTheFile() throws Exception {
    Files.writeString(dataDir.resolve("webhook-secret"), "  chosen by ops \n");
    assertThat(start(null, dataDir).key()).isEqualTo("chosen by ops".getBytes());
  }

  @Test
  void replacesAnEmptyFileLeftByACrashDuringTheFirstStart() throws Exception {
    // The old code created the file, then wrote it: a crash in between left it empty, and every
    // later start failed on an empty HMAC key. Nothing was ever signed with it.
    Path file = dataDir.resolve("webhook-secret");
    Files.write(file, new byte[0]);

    byte[] key = start(null, dataDir).key();

    assertThat(new String(key, StandardCharsets.US_ASCII)).matches("[0-9a-f]{64}");
    assertThat(Files.readString(file)).isEqualTo(new String(key, StandardCharsets.US_ASCII));
    assertThat(start(null, dataDir).key()).isEqualTo(key);
    new WebhookSigner(key).sign(1, new byte[0]);
  }

  @Test
  void replacesAFileOfWhitespaceToo() throws Exception {
    Files.writeString(dataDir.resolve("webhook-secret"), "\n");
    assertThat(new String(start(null, dataDir).key(), StandardCharsets.US_ASCII))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void refusesToStartOnACorruptFileWithOneClearMessage() throws Exception {
    // Bytes that are not text may be what is left of a key receivers hold: only an operator can
    // decide to replace it, so start-up stops and says how.
    Path file = dataDir.resolve("webhook-secret");
    byte[] garbage = {0, 0, 0, 0, (byte) 0xff, (byte) 0xfe, 0x01};
    Files.write(file, garbage);

    assertThatThrownBy(() -> start(null, dataDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("corrupt")
        .hasMessageContaining("IMGPRESS_WEBHOOK_SECRET");
    assertThat(Files.readAllBytes(file)).as("left for the operator").isEqualTo(garbage);
  }

  @Test
  void refusesAFileOfTextWithControlCharactersInside() throws Exception {
    // Valid UTF-8, yet no key anyone typed: a NUL or bell inside is damage, not a secret.
    Path file = dataDir.resolve("webhook-secret");
    Files.writeString(file, "abc\u0000def\u0007");

    assertThatThrownBy(() -> start(null, dataDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt");
    assertThat(Files.readString(file)).isEqualTo("abc\u0000def\u0007");
  }

  @Test
  void theKeyCannotBeChangedThroughItsCopy() {
    WebhookSecret secret = start("from-env", dataDir);
    secret.key()[0] = 'X';
    assertThat(secret.key()).isEqualTo("from-env".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void concurrentFirstStartsAllReadTheOneWholeSecret() throws Exception {
    // Instances starting together on a shared data dir: none may read a file another one has
    // created but not yet written, and all must end up with the key that is on disk.
    for (int round = 0; round < 20; round++) {
      Path dir = Files.createDirectory(dataDir.resolve("round-" + round));
      int starters = 4;
      CyclicBarrier together = new CyclicBarrier(starters);
      List<Future<byte[]>> keys = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(starters)) {
        for (int i = 0; i < starters; i++) {
          keys.add(
              pool.submit(
                  () -> {
                    together.await();
                    return start(null, dir).key();
                  }));
        }
        Set<String> seen = new HashSet<>();
        for (Future<byte[]> key : keys) {
          seen.add(new String(key.get(), StandardCharsets.US_ASCII));
        }
        assertThat(seen).containsExactly(Files.readString(dir.resolve("webhook-secret")));
        assertThat(seen.iterator().next()).matches("[0-9a-f]{64}");
      }
    }
  }

  private static WebhookSecret start(String configured, Path dataDir) {
    return new WebhookSecret(props(configured), new ImgpressProperties(dataDir, null));
  }

  @Test
  void eachGeneratedSecretIsRandom(@TempDir Path otherDataDir) {
    byte[] one = new WebhookSecret(props("  "), new ImgpressProperties(dataDir, null)).key();
    byte[] other = new WebhookSecret(props(null), new ImgpressProperties(otherDataDir, null)).key();

    assertThat(new String(one, StandardCharsets.UTF_8)).matches("[0-9a-f]{64}");
    assertThat(one).isNotEqualTo(other);
    assertThat(new String(one, StandardCharsets.UTF_8)).isNotEqualTo("0".repeat(64));
  }

  @Test
  void aDataDirThatCannotHoldTheSecretStopsTheStart() throws Exception {
    Path notADir = Files.createFile(dataDir.resolve("a-file"));

    assertThatThrownBy(() -> new WebhookSecret(props(null), new ImgpressProperties(notADir, null)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot read or create the webhook secret");
  }

  @Test
  void aSharedStoreNeedsTheConfiguredSecretAndGeneratesNone() {
    for (String missing : new String[] {null, " "}) {
      assertThatThrownBy(() -> new WebhookSecret(props(missing), shared(dataDir)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("imgpress.webhook.secret (IMGPRESS_WEBHOOK_SECRET) must be set")
          .hasMessageContaining("imgpress.store=postgres");
    }
    assertThat(dataDir.resolve("webhook-secret")).doesNotExist();
  }

  @Test
  void aSharedStoreUsesTheConfiguredSecret() {
    WebhookSecret secret = new WebhookSecret(props("shared-key"), shared(dataDir));
    assertThat(secret.key()).isEqualTo("shared-key".getBytes(StandardCharsets.UTF_8));
  }

  private static ImgpressProperties shared(Path dataDir) {
    return new ImgpressProperties(
        dataDir,
        null,
        ImgpressProperties.Store.POSTGRES,
        ImgpressProperties.Queue.DATABASE,
        ImgpressProperties.Storage.LOCAL,
        ImgpressProperties.Role.WORKER);
  }

  private static WebhookProperties props(String secret) {
    return new WebhookProperties(
        secret, 10, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(10), 2);
  }
}
