package dev.tidemark.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** An {@link ObjectStore} on a local directory: keys are relative file paths. */
final class LocalObjectStore implements ObjectStore {
  private static final String TEMP_SUFFIX = ".tmp-";

  private final StoreLocation root;
  private final Path dir;

  LocalObjectStore(StoreLocation root) {
    this.root = root;
    this.dir = root.directory();
  }

  @Override
  public StoreLocation root() {
    return root;
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Path target = file(key);
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), TEMP_SUFFIX);
    try {
      Files.write(temp, bytes);
      readableByAll(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Temporary files are private (0600); published objects are readable like any file (0644). */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream openStream(String key) throws IOException {
    return Files.newInputStream(file(key));
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix) && !k.contains(TEMP_SUFFIX))
          .sorted()
          .toList();
    }
  }

  @Override
  public void close() {}

  private Path file(String key) {
    Path p = dir.resolve(key).normalize();
    if (!p.startsWith(dir)) {
      throw new IllegalArgumentException("key escapes the store: " + key);
    }
    return p;
  }
}
