package dev.tidemark.transforms.skew;

import dev.tidemark.core.time.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bucket scheme of skew histograms (plain Java). Bucket 0, {@code "future"}, holds negative
 * skew: events stamped after the moment they were processed. The others are half-open ranges {@code
 * [lower, upper)} between consecutive upper bounds, and the last is open-ended. The default scheme
 * is roughly logarithmic:
 *
 * <pre>
 * future | 0s-1s | 1s-10s | 10s-1m | 1m-10m | 10m-1h | 1h-1d | 1d+
 * </pre>
 */
public final class SkewBuckets implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The label of the bucket of negative skew. */
  public static final String FUTURE = "future";

  private final long[] upperBoundsMillis;

  private SkewBuckets(long[] upperBoundsMillis) {
    this.upperBoundsMillis = upperBoundsMillis;
  }

  /** The default scheme: future, 0s-1s, 1s-10s, 10s-1m, 1m-10m, 10m-1h, 1h-1d, 1d+. */
  public static SkewBuckets standard() {
    return withUpperBounds(
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        Duration.ofDays(1));
  }

  /** A scheme with the given exclusive upper bounds, positive and strictly increasing. */
  public static SkewBuckets withUpperBounds(Duration... upperBounds) {
    long[] millis = new long[upperBounds.length];
    long previous = 0;
    for (int i = 0; i < upperBounds.length; i++) {
      millis[i] = upperBounds[i].toMillis();
      if (millis[i] <= previous) {
        throw new IllegalArgumentException(
            "upper bounds must be positive and strictly increasing, got " + List.of(upperBounds));
      }
      previous = millis[i];
    }
    return new SkewBuckets(millis);
  }

  /** The number of buckets, the future bucket included. */
  public int size() {
    return upperBoundsMillis.length + 2;
  }

  /** The index of the bucket holding {@code skewMillis}: 0 for negative skew. */
  public int indexOf(long skewMillis) {
    if (skewMillis < 0) {
      return 0;
    }
    for (int i = 0; i < upperBoundsMillis.length; i++) {
      if (skewMillis < upperBoundsMillis[i]) {
        return i + 1;
      }
    }
    return upperBoundsMillis.length + 1;
  }

  /** The labels of the buckets in order, e.g. {@code future, 0s-1s, ..., 1d+}. */
  public List<String> labels() {
    List<String> labels = new ArrayList<>();
    labels.add(FUTURE);
    long lower = 0;
    for (long upper : upperBoundsMillis) {
      labels.add(format(lower) + "-" + format(upper));
      lower = upper;
    }
    labels.add(format(lower) + "+");
    return labels;
  }

  /**
   * A duration in its largest whole unit: {@code 0s, 250ms, 10s, 1m, 1h, 1d} (the one duration
   * grammar's form, except that zero keeps its unit in a bucket label).
   */
  static String format(long millis) {
    return millis == 0 ? "0s" : Durations.format(Duration.ofMillis(millis));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SkewBuckets other
        && java.util.Arrays.equals(upperBoundsMillis, other.upperBoundsMillis);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(upperBoundsMillis);
  }

  @Override
  public String toString() {
    return String.join(" | ", labels());
  }
}
