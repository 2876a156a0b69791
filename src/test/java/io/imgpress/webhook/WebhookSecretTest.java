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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSecretTest {

  @TempDir Path dataDir;

  @Test
  void usesTheConfiguredSecret() {
    WebhookSecret secret =
        new WebhookSecret(props("from-env"), new ImgpressProperties(dataDir, null));
    assertThat(secret.key()).isEqualTo("from-env".getBytes(StandardCharsets.UTF_8));
    assertThat(dataDir.resolve("webhook-secret")).doesNotExist();
  }

  @Test
  void generatesOneOwnerOnlySecretAndKeepsItAcrossRestarts() throws Exception {
    byte[] first = new WebhookSecret(props(null), new ImgpressProperties(dataDir, null)).key();
    byte[] second = new WebhookSecret(props(""), new ImgpressProperties(dataDir, null)).key();

    assertThat(first).hasSize(64).isEqualTo(second);
    Path file = dataDir.resolve("webhook-secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
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

  private static WebhookProperties props(String secret) {
    return new WebhookProperties(
        secret, 10, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(10));
  }
}
