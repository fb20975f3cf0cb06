package dev.tidemark.core.features;

import dev.tidemark.core.trip.TaxiTrip;
import java.util.Optional;
import java.util.Set;

/**
 * The preprocessing rules that decide whether a raw trip is fit for training, in the order they are
 * checked: a rejected trip is counted under the first rule it breaks, so the counts per rule add up
 * to the number of rejected rows. Plain Java, free of Beam.
 *
 * <p>Missing values are not a reason to reject (see {@link TaxiFeatures} for how they are encoded),
 * except where the label or the trip itself would be meaningless: a missing {@code tips} and a
 * missing or unknown {@code payment_type}.
 */
public enum TripRule {
  /**
   * The line does not parse: wrong number of fields, a non-numeric number, no fare or start time.
   */
  MALFORMED_LINE("the line does not parse as a trip"),
  /** {@code fare <= 0}: no meter fare, so no tip ratio. */
  FARE_NOT_POSITIVE("fare is zero or negative"),
  /** {@code fare > 500} dollars: far beyond any metered city trip. */
  FARE_ABSURD("fare is above $500"),
  /** {@code tips} is missing: the label cannot be computed. */
  TIPS_MISSING("tips are missing, so the label is unknown"),
  /** {@code tips < 0}. */
  TIPS_NEGATIVE("tips are negative"),
  /** {@code trip_seconds < 0}. */
  DURATION_NEGATIVE("trip_seconds is negative"),
  /** {@code trip_seconds > 12 h}. */
  DURATION_ABSURD("trip_seconds is above 12 hours"),
  /** {@code trip_miles < 0}. */
  DISTANCE_NEGATIVE("trip_miles is negative"),
  /** {@code trip_miles > 300}. */
  DISTANCE_ABSURD("trip_miles is above 300"),
  /** Hour, day of week, month or community area outside its calendar or city range. */
  FIELD_OUT_OF_RANGE("a calendar field or community area is outside its range"),
  /** A present pickup coordinate outside the Chicago area box. */
  PICKUP_OUTSIDE_CHICAGO("pickup coordinates are outside the Chicago area"),
  /** A present dropoff coordinate outside the Chicago area box. */
  DROPOFF_OUTSIDE_CHICAGO("dropoff coordinates are outside the Chicago area"),
  /** {@code payment_type} missing, {@code Unknown}, or not one of the City's documented values. */
  PAYMENT_TYPE_UNKNOWN("payment type is missing, Unknown or not a documented value");

  /** Largest plausible fare, in dollars. */
  public static final double MAX_FARE = 500;

  /** Longest plausible trip, in seconds (12 hours). */
  public static final int MAX_TRIP_SECONDS = 12 * 3600;

  /** Longest plausible trip, in miles. */
  public static final double MAX_TRIP_MILES = 300;

  /** The Chicago area box (city, O'Hare and Midway included, with a margin): latitudes. */
  public static final double MIN_LATITUDE = 41.60;

  public static final double MAX_LATITUDE = 42.10;

  /** The Chicago area box: longitudes. */
  public static final double MIN_LONGITUDE = -88.00;

  public static final double MAX_LONGITUDE = -87.50;

  /** The payment types the City of Chicago documents for taxi trips, except {@code Unknown}. */
  public static final Set<String> KNOWN_PAYMENT_TYPES =
      Set.of(
          "Cash",
          "Credit Card",
          "No Charge",
          "Dispute",
          "Pcard",
          "Prcard",
          "Mobile",
          "Prepaid",
          "Split",
          "Way2ride");

  private final String description;

  TripRule(String description) {
    this.description = description;
  }

  /** One sentence saying what the rule rejects. */
  public String description() {
    return description;
  }

  /** The first rule {@code trip} breaks, or empty when it is fit for training. */
  public static Optional<TripRule> firstBroken(TaxiTrip t) {
    if (!(t.fare() > 0)) {
      return Optional.of(FARE_NOT_POSITIVE);
    }
    if (t.fare() > MAX_FARE) {
      return Optional.of(FARE_ABSURD);
    }
    if (t.tips() == null) {
      return Optional.of(TIPS_MISSING);
    }
    if (t.tips() < 0) {
      return Optional.of(TIPS_NEGATIVE);
    }
    if (t.tripSeconds() != null && t.tripSeconds() < 0) {
      return Optional.of(DURATION_NEGATIVE);
    }
    if (t.tripSeconds() != null && t.tripSeconds() > MAX_TRIP_SECONDS) {
      return Optional.of(DURATION_ABSURD);
    }
    if (t.tripMiles() != null && t.tripMiles() < 0) {
      return Optional.of(DISTANCE_NEGATIVE);
    }
    if (t.tripMiles() != null && t.tripMiles() > MAX_TRIP_MILES) {
      return Optional.of(DISTANCE_ABSURD);
    }
    if (outside(t.tripStartHour(), 0, 23)
        || outside(t.tripStartDay(), 1, 7)
        || outside(t.tripStartMonth(), 1, 12)
        || outside(t.pickupCommunityArea(), 1, 77)
        || outside(t.dropoffCommunityArea(), 1, 77)) {
      return Optional.of(FIELD_OUT_OF_RANGE);
    }
    if (outsideChicago(t.pickupLatitude(), t.pickupLongitude())) {
      return Optional.of(PICKUP_OUTSIDE_CHICAGO);
    }
    if (outsideChicago(t.dropoffLatitude(), t.dropoffLongitude())) {
      return Optional.of(DROPOFF_OUTSIDE_CHICAGO);
    }
    if (t.paymentType() == null || !KNOWN_PAYMENT_TYPES.contains(t.paymentType())) {
      return Optional.of(PAYMENT_TYPE_UNKNOWN);
    }
    return Optional.empty();
  }

  private static boolean outside(Integer v, int min, int max) {
    return v != null && (v < min || v > max);
  }

  private static boolean outsideChicago(Double lat, Double lon) {
    return (lat != null && (lat < MIN_LATITUDE || lat > MAX_LATITUDE))
        || (lon != null && (lon < MIN_LONGITUDE || lon > MAX_LONGITUDE));
  }
}
