package dev.tidemark.transforms.skew;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.joda.time.Instant;

/**
 * The skew histogram of one window: how many elements fell into each bucket of a {@link
 * SkewBuckets} scheme, negative skew (events from the future) in its own first bucket.
 *
 * @param windowStart start of the window, or null for the global window
 * @param windowEnd end (exclusive) of the window, or null for the global window
 * @param buckets the buckets in scheme order, the {@code future} bucket first
 */
public record SkewHistogram(Instant windowStart, Instant windowEnd, List<Bucket> buckets)
    implements Serializable {

  /**
   * One bucket.
   *
   * @param label the bucket's range, e.g. {@code 1m-10m}, or {@code future}
   * @param count how many elements fell into it
   */
  public record Bucket(String label, long count) implements Serializable {}

  public SkewHistogram {
    buckets = List.copyOf(Objects.requireNonNull(buckets, "buckets"));
  }

  /** The histogram of {@code counts} (one per bucket of {@code scheme}) for a window. */
  public static SkewHistogram of(
      Instant windowStart, Instant windowEnd, SkewBuckets scheme, List<Long> counts) {
    List<String> labels = scheme.labels();
    if (labels.size() != counts.size()) {
      throw new IllegalArgumentException(
          "expected " + labels.size() + " counts, got " + counts.size());
    }
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      buckets.add(new Bucket(labels.get(i), counts.get(i)));
    }
    return new SkewHistogram(windowStart, windowEnd, buckets);
  }

  /** How many events were stamped in the future (negative skew). */
  public long future() {
    return buckets.get(0).count();
  }

  /** How many elements were measured. */
  public long total() {
    return buckets.stream().mapToLong(Bucket::count).sum();
  }

  /**
   * One line: the window then every bucket, e.g. {@code [2026-11-27T12:00:00.000Z,
   * 2026-11-27T12:05:00.000Z) future:1 0s-1s:0 ...}; {@code [global]} for the global window.
   */
  public String render() {
    StringBuilder line = new StringBuilder();
    if (windowStart == null) {
      line.append("[global]");
    } else {
      line.append('[').append(windowStart).append(", ").append(windowEnd).append(')');
    }
    for (Bucket b : buckets) {
      line.append(' ').append(b.label()).append(':').append(b.count());
    }
    return line.toString();
  }
}
