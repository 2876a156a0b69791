package io.imgpress.webhook;

import io.imgpress.ImgpressProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The webhook signing key: the configured one, or one generated once and kept in the data dir so
 * receivers keep verifying across restarts. The key itself is never logged.
 */
@Component
class WebhookSecret {

  private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

  private final byte[] key;

  WebhookSecret(WebhookProperties webhook, ImgpressProperties imgpress) {
    String configured = webhook.secret();
    this.key =
        configured != null && !configured.isBlank()
            ? configured.getBytes(StandardCharsets.UTF_8)
            : loadOrCreate(imgpress.dataDir().resolve("webhook-secret"));
  }

  byte[] key() {
    return key.clone();
  }

  private static byte[] loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      log.info("Signing webhooks with the generated secret kept in {}", file.toAbsolutePath());
      return Files.readString(file, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the webhook secret " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return;
    }
    Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.UTF_8);
  }
}
