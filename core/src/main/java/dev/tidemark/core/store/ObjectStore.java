package dev.tidemark.core.store;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A minimal object store rooted at a {@link StoreLocation}: keys are relative to the root and use
 * {@code /} as separator. Writing one object is atomic (readers see the old object, no object, or
 * the whole new one), on S3 by the protocol and locally by writing a temporary file and renaming
 * it.
 */
public interface ObjectStore extends Closeable {

  /** A store rooted at {@code root}; S3 locations connect with {@code s3}. */
  static ObjectStore open(StoreLocation root, S3Settings s3) {
    return root.isS3() ? new S3ObjectStore(root, s3) : new LocalObjectStore(root);
  }

  /**
   * Opens the single object at {@code uri} ({@code s3://bucket/key}, {@code file:///path} or a
   * path) for reading; closing the stream also closes the store.
   */
  static InputStream openObject(String uri, S3Settings s3) throws IOException {
    StoreLocation location = StoreLocation.parse(uri);
    String key;
    StoreLocation parent;
    if (location.isS3()) {
      int slash = location.path().lastIndexOf('/');
      key = location.path().substring(slash + 1);
      parent =
          new StoreLocation(
              location.bucket(), slash < 0 ? "" : location.path().substring(0, slash));
    } else {
      key = location.directory().getFileName().toString();
      parent = new StoreLocation(null, location.directory().getParent().toString());
    }
    ObjectStore store = open(parent, s3);
    try {
      InputStream in = store.openStream(key);
      return new FilterInputStream(in) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            store.close();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Where this store is rooted. */
  StoreLocation root();

  /** Writes {@code bytes} to {@code key}, atomically, replacing any object there. */
  void put(String key, byte[] bytes) throws IOException;

  /** The object at {@code key}, or empty when there is none. */
  Optional<byte[]> get(String key) throws IOException;

  /** A stream over the object at {@code key}; fails with an IOException when there is none. */
  InputStream openStream(String key) throws IOException;

  /** The keys under {@code prefix} (all levels), sorted. */
  List<String> list(String prefix) throws IOException;
}
