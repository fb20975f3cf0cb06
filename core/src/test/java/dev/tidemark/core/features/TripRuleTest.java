package dev.tidemark.core.features;

import static dev.tidemark.core.fixtures.Trips.CARD_RIDE_DOWNTOWN;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.fixtures.Trips;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import java.util.Optional;
import org.junit.Test;

/** Each preprocessing rule, on a clean ride changed in one field. */
public class TripRuleTest {

  private static Optional<TripRule> check(String line) throws MalformedTripException {
    return TripRule.firstBroken(TaxiTripCsv.parse(line));
  }

  private static String ride(int column, String value) {
    String[] f = Trips.CARD_RIDE_DOWNTOWN_CSV.split(",", -1);
    f[column] = value;
    return String.join(",", f);
  }

  /** The named clean ride passes every rule. */
  @Test
  public void cleanRidePasses() {
    assertEquals(Optional.empty(), TripRule.firstBroken(CARD_RIDE_DOWNTOWN));
  }

  /** Every rule rejects what its name says. */
  @Test
  public void eachRuleRejectsItsCase() throws Exception {
    assertEquals(Optional.of(TripRule.FARE_NOT_POSITIVE), check(ride(1, "0")));
    assertEquals(Optional.of(TripRule.FARE_NOT_POSITIVE), check(ride(1, "-3.25")));
    assertEquals(Optional.of(TripRule.FARE_ABSURD), check(ride(1, "700.07")));
    assertEquals(Optional.of(TripRule.TIPS_MISSING), check(ride(17, "")));
    assertEquals(Optional.of(TripRule.TIPS_NEGATIVE), check(ride(17, "-1")));
    assertEquals(Optional.of(TripRule.DURATION_NEGATIVE), check(ride(15, "-60")));
    assertEquals(Optional.of(TripRule.DURATION_ABSURD), check(ride(15, "72120")));
    assertEquals(Optional.of(TripRule.DISTANCE_NEGATIVE), check(ride(10, "-1.0")));
    assertEquals(Optional.of(TripRule.DISTANCE_ABSURD), check(ride(10, "1710.0")));
    assertEquals(Optional.of(TripRule.FIELD_OUT_OF_RANGE), check(ride(3, "24")));
    assertEquals(Optional.of(TripRule.FIELD_OUT_OF_RANGE), check(ride(16, "78")));
    assertEquals(Optional.of(TripRule.PICKUP_OUTSIDE_CHICAGO), check(ride(6, "40.7128")));
    assertEquals(Optional.of(TripRule.DROPOFF_OUTSIDE_CHICAGO), check(ride(9, "-74.0060")));
    assertEquals(Optional.of(TripRule.PAYMENT_TYPE_UNKNOWN), check(ride(13, "Unknown")));
    assertEquals(Optional.of(TripRule.PAYMENT_TYPE_UNKNOWN), check(ride(13, "")));
    assertEquals(Optional.of(TripRule.PAYMENT_TYPE_UNKNOWN), check(ride(13, "Bitcoin")));
  }

  /** Missing optional fields are not a reason to reject. */
  @Test
  public void missingOptionalFieldsPass() throws Exception {
    TaxiTrip sparse = TaxiTripCsv.parse(",7.25,,,,1431716400,,,,,,,,Cash,,,,0");
    assertEquals(Optional.empty(), TripRule.firstBroken(sparse));
  }

  /** A trip that breaks two rules is counted under the first in rule order. */
  @Test
  public void firstBrokenRuleWins() throws Exception {
    assertEquals(
        Optional.of(TripRule.FARE_NOT_POSITIVE),
        check(ride(1, "0").replace("Credit Card", "Unknown")));
  }
}
