package io.imgpress.webhook;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.ImgpressProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The webhook signing key: the configured one, or one generated once and kept in the data dir so
 * receivers keep verifying across restarts. The key itself is never logged. Only the embedded store
 * (one process) may generate it: with a shared store any number of workers sign, and they must all
 * use the configured key.
 *
 * <p>The file is never seen half-written: the key is written and synced to a temporary file in the
 * same folder (owner-only from its creation), which is then linked in under the final name, an
 * atomic step that fails instead of replacing a file another instance put there first. An empty
 * file (left by a crash of versions that wrote the file in place) is replaced: no signature was
 * ever made with it. A file with bytes that are not text stops the start: it may be what is left of
 * a key receivers hold, and only an operator can decide to give it up.
 */
@ConditionalOnWorkerRole
@Component
class WebhookSecret {

  private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

  private final byte[] key;

  WebhookSecret(WebhookProperties webhook, ImgpressProperties imgpress) {
    String configured = webhook.secret();
    if (configured != null && !configured.isBlank()) {
      this.key = configured.getBytes(StandardCharsets.UTF_8);
    } else if (imgpress.store() != ImgpressProperties.Store.H2) {
      throw new IllegalStateException(
          "imgpress.webhook.secret (IMGPRESS_WEBHOOK_SECRET) must be set with imgpress.store="
              + imgpress.store().name().toLowerCase(java.util.Locale.ROOT)
              + ": several processes may deliver webhooks, and receivers verify them all with"
              + " one key, so no process may generate a key of its own in its data dir");
    } else {
      this.key = loadOrCreate(imgpress.dataDir().resolve("webhook-secret").toAbsolutePath());
    }
  }

  byte[] key() {
    return key.clone();
  }

  private static byte[] loadOrCreate(Path file) {
    try {
      String secret = read(file);
      if (secret != null && secret.isEmpty()) {
        log.warn(
            "The webhook secret file {} is empty, left by a crash while it was first written;"
                + " generating a new one (nothing was ever signed with the empty one)",
            file);
        deleteIfStillEmpty(file);
        secret = null;
      }
      if (secret == null) {
        create(file);
        // Another instance may have linked its key in first: the file decides.
        secret = read(file);
      }
      if (secret == null || secret.isEmpty()) {
        throw new IllegalStateException(
            "the webhook secret file " + file + " vanished or is empty");
      }
      log.info("Signing webhooks with the generated secret kept in {}", file);
      return secret.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the webhook secret " + file, e);
    }
  }

  /** The trimmed secret, or null when there is no file. */
  private static String read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString()
              .strip();
    } catch (CharacterCodingException e) {
      throw corrupt(file);
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw corrupt(file);
    }
    return text;
  }

  private static IllegalStateException corrupt(Path file) {
    return new IllegalStateException(
        "The webhook secret file "
            + file
            + " is corrupt (it holds bytes that are not text). It is left as it is, because"
            + " receivers may know the key it held: restore it from a backup, or delete it to have"
            + " a new key generated at the next start (receivers then need the new key), or give"
            + " the key as IMGPRESS_WEBHOOK_SECRET.");
  }

  private static void create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    byte[] hex = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = ownerOnlyTempFile(dir);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(hex));
        channel.force(true);
      }
      linkWithoutReplacing(temp, file);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path ownerOnlyTempFile(Path dir) throws IOException {
    try {
      return Files.createTempFile(
          dir,
          ".webhook-secret-",
          ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, ".webhook-secret-", ".tmp");
    }
  }

  private static void linkWithoutReplacing(Path temp, Path file) throws IOException {
    try {
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // Another instance was first; its key is the one.
    } catch (UnsupportedOperationException e) {
      // No hard links on this file system: a plain move, which refuses an existing target.
      try {
        Files.move(temp, file);
      } catch (FileAlreadyExistsException alreadyThere) {
        // as above
      }
    }
  }

  private static void deleteIfStillEmpty(Path file) throws IOException {
    try {
      if (Files.size(file) == 0 || Files.readString(file).isBlank()) {
        Files.delete(file);
      }
    } catch (NoSuchFileException e) {
      // Someone else removed it already.
    }
  }

  /** Makes the new name itself durable, not only the file's bytes. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some systems cannot open a directory for syncing; the name then lands with the next sync.
    }
  }
}
