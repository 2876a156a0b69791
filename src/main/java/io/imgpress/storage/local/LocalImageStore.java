package io.imgpress.storage.local;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link ImageStore} on the local file system. An object is written to a temporary file, forced to
 * disk, and then hard-linked under its final name: the link fails when the name exists, so a
 * half-written image never appears under its final name and a stored one is never replaced. On a
 * file system without hard links it is moved into place without replacing, which leaves a short
 * window in which two writers of one key could both succeed.
 */
public class LocalImageStore implements ImageStore {

  private static final String UPLOAD_PREFIX = ".upload-";
  private static final String HEALTH_PREFIX = ".health-";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path root;

  public LocalImageStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Stored put(StorageKey key, byte[] bytes) {
    Path target = pathOf(key);
    Path folder = target.getParent();
    try {
      if (!Files.isDirectory(folder)) {
        Files.createDirectories(folder);
        forceFolder(root);
      }
      if (Files.exists(target)) {
        return existing(target);
      }
      Path temp = Files.createTempFile(folder, UPLOAD_PREFIX, TEMP_SUFFIX);
      try {
        write(temp, bytes);
        if (!publish(temp, target)) {
          return existing(target);
        }
        forceFolder(folder);
        return new Stored(bytes.length, true);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not store " + key.publicPath(), e);
    }
  }

  private static void write(Path temp, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Gives the written file its final name unless that exists; false when it did. */
  private static boolean publish(Path temp, Path target) throws IOException {
    try {
      Files.createLink(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here: move without replacing (the check and the rename are two steps).
      try {
        Files.move(temp, target);
        return true;
      } catch (FileAlreadyExistsException exists) {
        return false;
      }
    }
  }

  private static Stored existing(Path target) throws IOException {
    return new Stored(Files.size(target), false);
  }

  /** Makes a new name in the folder durable; best effort where folders cannot be opened. */
  private static void forceFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can sync a folder; the file itself is already on disk.
    }
  }

  @Override
  public Optional<StoredImage> get(StorageKey key) {
    Path path = pathOf(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      String etag =
          "\""
              + Long.toHexString(attributes.size())
              + "-"
              + Long.toHexString(attributes.lastModifiedTime().toMillis())
              + "\"";
      return Optional.of(new StoredImage(Files.newInputStream(path), attributes.size(), etag));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + key.publicPath(), e);
    }
  }

  /** Creates and deletes an empty file in the root: that fails on a missing or read-only disk. */
  @Override
  public void checkHealth() {
    try {
      Files.createDirectories(root);
      Files.delete(Files.createTempFile(root, HEALTH_PREFIX, TEMP_SUFFIX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the image folder " + root, e);
    }
  }

  /**
   * Deletes the temporary files that writers killed mid-write left behind, once they are older than
   * {@code age} (a live writer's file is younger); for start-up, before any writer runs.
   *
   * @return how many were deleted
   */
  public int removeStaleTemporaryFiles(Duration age) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    Instant before = Instant.now().minus(age);
    List<Path> stale;
    try (Stream<Path> files = Files.walk(root, 2)) {
      stale = files.filter(p -> isTemporary(p) && isOlder(p, before)).toList();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("could not list the image folder " + root, e);
    }
    int removed = 0;
    for (Path file : stale) {
      try {
        if (Files.deleteIfExists(file)) {
          removed++;
        }
      } catch (IOException e) {
        // Left for the next start; a stray temporary file harms nothing but disk space.
      }
    }
    return removed;
  }

  private static boolean isTemporary(Path path) {
    String name = path.getFileName().toString();
    return (name.startsWith(UPLOAD_PREFIX) || name.startsWith(HEALTH_PREFIX))
        && name.endsWith(TEMP_SUFFIX)
        && Files.isRegularFile(path);
  }

  private static boolean isOlder(Path path, Instant before) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isBefore(before);
    } catch (IOException e) {
      return false;
    }
  }

  private Path pathOf(StorageKey key) {
    Path path = root.resolve(key.requestId().toString()).resolve(key.file()).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("key outside the store");
    }
    return path;
  }
}
