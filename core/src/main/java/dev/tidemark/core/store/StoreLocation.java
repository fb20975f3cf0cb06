package dev.tidemark.core.store;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * Where objects live: an S3 bucket with a key prefix ({@code s3://bucket/prefix}) or a local
 * directory ({@code file:///dir} or a plain path).
 *
 * @param bucket the S3 bucket, or null for a local directory
 * @param path the key prefix within the bucket (no leading or trailing slash, may be empty), or the
 *     absolute local directory
 */
public record StoreLocation(String bucket, String path) {

  public StoreLocation {
    Objects.requireNonNull(path, "path");
  }

  /** Parses {@code s3://bucket[/prefix]}, {@code file:///dir} or a plain directory path. */
  public static StoreLocation parse(String location) {
    if (location.startsWith("s3://")) {
      String rest = location.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));
      if (bucket.isEmpty()) {
        throw new IllegalArgumentException("no bucket in " + location);
      }
      return new StoreLocation(bucket, prefix);
    }
    if (location.startsWith("file:")) {
      return new StoreLocation(null, Paths.get(java.net.URI.create(location)).toString());
    }
    if (location.contains("://")) {
      throw new IllegalArgumentException(
          "unsupported location " + location + " (use s3://bucket/prefix or a directory)");
    }
    return new StoreLocation(null, Paths.get(location).toAbsolutePath().normalize().toString());
  }

  /** Whether this is an S3 location. */
  public boolean isS3() {
    return bucket != null;
  }

  /** The local directory (local locations only). */
  public Path directory() {
    if (isS3()) {
      throw new IllegalStateException(this + " is not local");
    }
    return Paths.get(path);
  }

  /** The location of {@code relative} under this one. */
  public StoreLocation resolve(String relative) {
    String r = trimSlashes(relative);
    if (isS3()) {
      return new StoreLocation(bucket, path.isEmpty() ? r : path + "/" + r);
    }
    return new StoreLocation(null, directory().resolve(r).toString());
  }

  /** The URI form, without a trailing slash: {@code s3://bucket/prefix} or {@code file:///dir}. */
  public String uri() {
    if (isS3()) {
      return "s3://" + bucket + (path.isEmpty() ? "" : "/" + path);
    }
    String uri = directory().toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  @Override
  public String toString() {
    return uri();
  }

  private static String trimSlashes(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '/') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '/') {
      b--;
    }
    return s.substring(a, b);
  }
}
