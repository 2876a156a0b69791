package io.imgpress.storage.local;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * {@link ImageStore} on the local file system: written to a temporary file, forced to disk and
 * renamed into place, so a crash never leaves a half-written image under its final name.
 */
public class LocalImageStore implements ImageStore {

  private final Path root;

  public LocalImageStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(StorageKey key, byte[] bytes) {
    Path target = pathOf(key);
    try {
      Files.createDirectories(target.getParent());
      if (sameContent(target, bytes)) {
        return; // a retried job: keep the file, and with it its ETag
      }
      Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      move(temp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("could not store " + key.publicPath(), e);
    }
  }

  private static boolean sameContent(Path target, byte[] bytes) throws IOException {
    return Files.exists(target)
        && Files.size(target) == bytes.length
        && java.util.Arrays.equals(Files.readAllBytes(target), bytes);
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
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
      Files.delete(Files.createTempFile(root, ".health-", ".tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the image folder " + root, e);
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
