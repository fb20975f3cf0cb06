package dev.tidemark.core.features;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic train/eval split: a trip's id is the SHA-256 of its canonical CSV form with
 * {@code tips} left out, and a trip is in the eval split when that hash, read as a number, falls in
 * the first {@link #EVAL_PERCENT} percent. The same trip lands in the same split on every run,
 * runner and machine, and identical trips (duplicates) never straddle the split.
 */
public final class TripSplit {

  /** Share of trips in the eval split, in percent. */
  public static final int EVAL_PERCENT = 20;

  private TripSplit() {}

  /** A stable id of the trip: 16 hex digits of the SHA-256 of its fields except tips. */
  public static String tripId(TaxiTrip trip) {
    TaxiTrip withoutTips =
        new TaxiTrip(
            trip.pickupCommunityArea(),
            trip.fare(),
            trip.tripStartMonth(),
            trip.tripStartHour(),
            trip.tripStartDay(),
            trip.tripStartTimestamp(),
            trip.pickupLatitude(),
            trip.pickupLongitude(),
            trip.dropoffLatitude(),
            trip.dropoffLongitude(),
            trip.tripMiles(),
            trip.pickupCensusTract(),
            trip.dropoffCensusTract(),
            trip.paymentType(),
            trip.company(),
            trip.tripSeconds(),
            trip.dropoffCommunityArea(),
            null);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(TaxiTripCsv.format(withoutTips).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Whether the trip with this id belongs to the eval split. */
  public static boolean isEval(String tripId) {
    long prefix = Long.parseUnsignedLong(tripId, 16);
    return Long.remainderUnsigned(prefix, 100) < EVAL_PERCENT;
  }

  /** Whether {@code trip} belongs to the eval split. */
  public static boolean isEval(TaxiTrip trip) {
    return isEval(tripId(trip));
  }
}
