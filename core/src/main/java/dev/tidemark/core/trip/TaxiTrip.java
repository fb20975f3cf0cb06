package dev.tidemark.core.trip;

import java.io.Serializable;
import java.time.Instant;

/**
 * One Chicago taxi trip as published by the City of Chicago (columns of the TFX sample). Missing
 * values are {@code null}; only the trip start time and the fare are always present. Plain Java,
 * free of Beam, so that the model server can use it too.
 *
 * @param pickupCommunityArea community area (1-77) of the pickup, or null
 * @param fare fare in dollars ({@link Double#NaN} only for inference inputs that lack it)
 * @param tripStartMonth month of the trip start (1-12), or null
 * @param tripStartHour hour of the trip start (0-23), or null
 * @param tripStartDay day of week of the trip start (1 = Sunday ... 7 = Saturday), or null
 * @param tripStartTimestamp event time: the trip start, in Unix seconds
 * @param tips tips in dollars, or null; the training label comes from it, features never read it
 */
public record TaxiTrip(
    Integer pickupCommunityArea,
    double fare,
    Integer tripStartMonth,
    Integer tripStartHour,
    Integer tripStartDay,
    long tripStartTimestamp,
    Double pickupLatitude,
    Double pickupLongitude,
    Double dropoffLatitude,
    Double dropoffLongitude,
    Double tripMiles,
    String pickupCensusTract,
    String dropoffCensusTract,
    String paymentType,
    String company,
    Integer tripSeconds,
    Integer dropoffCommunityArea,
    Double tips)
    implements Serializable {

  /**
   * The start time of a trip whose {@code trip_start_timestamp} is unknown: only inference inputs
   * ({@link TaxiTripJson}) can lack it; the CSV parser rejects such lines. Features never read it.
   */
  public static final long UNKNOWN_START = Long.MIN_VALUE;

  /** Event time of the trip: when it started. */
  public Instant tripStart() {
    return Instant.ofEpochSecond(tripStartTimestamp);
  }

  /** The fare in whole cents, exact, so that sums do not depend on the order of addition. */
  public long fareCents() {
    return Math.round(fare * 100.0);
  }
}
