package dev.tidemark.transforms.watermark;

import dev.tidemark.core.watermark.WatermarkPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/** Converts between the policies' {@link java.time.Instant}s and Beam's Joda instants. */
final class BeamInstants {
  private BeamInstants() {}

  /**
   * The Beam instant for {@code instant}, clamped to Beam's timestamp range: {@link
   * WatermarkPolicy#NO_WATERMARK} becomes {@link BoundedWindow#TIMESTAMP_MIN_VALUE} and {@link
   * WatermarkPolicy#COMPLETE} becomes {@link BoundedWindow#TIMESTAMP_MAX_VALUE}.
   */
  static org.joda.time.Instant toBeam(java.time.Instant instant) {
    if (instant.isBefore(toJava(BoundedWindow.TIMESTAMP_MIN_VALUE))) {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }
    if (instant.isAfter(toJava(BoundedWindow.TIMESTAMP_MAX_VALUE))) {
      return BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    return org.joda.time.Instant.ofEpochMilli(instant.toEpochMilli());
  }

  /** The {@link java.time.Instant} for a Beam instant. */
  static java.time.Instant toJava(org.joda.time.Instant instant) {
    return java.time.Instant.ofEpochMilli(instant.getMillis());
  }
}
