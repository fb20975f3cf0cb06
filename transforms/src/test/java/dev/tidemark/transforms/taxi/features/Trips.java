package dev.tidemark.transforms.taxi.features;

import dev.tidemark.transforms.taxi.TaxiTrip;
import java.util.List;
import java.util.Map;

/** Named trips and a small vocabulary for the feature tests. */
final class Trips {
  private Trips() {}

  /** A credit-card ride downtown, every field present: 12.45 dollars, 3 dollars tip. */
  static final TaxiTrip CARD_RIDE_DOWNTOWN =
      new TaxiTrip(
          8,
          12.45,
          5,
          18,
          6,
          1431716400L,
          41.899602111,
          -87.633308037,
          41.880994471,
          -87.632746489,
          2.3,
          null,
          "17031320100",
          "Credit Card",
          "Taxi Affiliation Services",
          840,
          32,
          3.0);

  /** The same line as {@link #CARD_RIDE_DOWNTOWN} in the CSV layout. */
  static final String CARD_RIDE_DOWNTOWN_CSV =
      "8,12.45,5,18,6,1431716400,41.899602111,-87.633308037,41.880994471,-87.632746489,2.3,,"
          + "17031320100,Credit Card,Taxi Affiliation Services,840,32,3.0";

  /** A Pcard ride at 2 am with no dropoff, company, distance or tip recorded. */
  static final TaxiTrip PCARD_RIDE_NO_DROPOFF =
      new TaxiTrip(
          76,
          40.25,
          1,
          2,
          2,
          1357005600L,
          41.979070844,
          -87.903039661,
          null,
          null,
          null,
          null,
          null,
          "Pcard",
          null,
          2280,
          null,
          0.0);

  /** A two-term payment vocabulary and a one-term company vocabulary. */
  static final Map<String, List<String>> SMALL_VOCABULARY =
      Map.of(
          "payment_type", List.of("Cash", "Credit Card"),
          "company", List.of("Taxi Affiliation Services"));

  /** The same trip with another tip. */
  static TaxiTrip withTips(TaxiTrip t, Double tips) {
    return new TaxiTrip(
        t.pickupCommunityArea(),
        t.fare(),
        t.tripStartMonth(),
        t.tripStartHour(),
        t.tripStartDay(),
        t.tripStartTimestamp(),
        t.pickupLatitude(),
        t.pickupLongitude(),
        t.dropoffLatitude(),
        t.dropoffLongitude(),
        t.tripMiles(),
        t.pickupCensusTract(),
        t.dropoffCensusTract(),
        t.paymentType(),
        t.company(),
        t.tripSeconds(),
        t.dropoffCommunityArea(),
        tips);
  }
}
