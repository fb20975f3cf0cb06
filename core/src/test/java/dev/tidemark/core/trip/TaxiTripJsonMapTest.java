package dev.tidemark.core.trip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

/** JSON objects with the CSV column names, as the model server receives them. */
public class TaxiTripJsonMapTest {

  private static final String LINE =
      "8,12.45,5,18,6,1431716400,41.899602111,-87.633308037,41.880994471,-87.632746489,2.3,,"
          + "17031320100,Credit Card,Taxi Affiliation Services,840,32,3.0";

  /** The same trip as JSON numbers and as the CSV line gives equal records. */
  @Test
  public void typedJsonObjectEqualsTheCsvLine() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pickup_community_area", 8);
    m.put("fare", 12.45);
    m.put("trip_start_month", 5);
    m.put("trip_start_hour", 18);
    m.put("trip_start_day", 6);
    m.put("trip_start_timestamp", 1431716400L);
    m.put("pickup_latitude", 41.899602111);
    m.put("pickup_longitude", -87.633308037);
    m.put("dropoff_latitude", 41.880994471);
    m.put("dropoff_longitude", -87.632746489);
    m.put("trip_miles", 2.3);
    m.put("pickup_census_tract", null);
    m.put("dropoff_census_tract", 17031320100L);
    m.put("payment_type", "Credit Card");
    m.put("company", "Taxi Affiliation Services");
    m.put("trip_seconds", 840);
    m.put("dropoff_community_area", 32);
    m.put("tips", 3.0);
    assertEquals(TaxiTripCsv.parse(LINE), TaxiTripJson.fromJsonMap(m));
  }

  /** Strings with the CSV text, one per column, give the CSV record too. */
  @Test
  public void stringValuesEqualTheCsvLine() throws Exception {
    String[] values = LINE.split(",", -1);
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(TaxiTripCsv.COLUMNS.get(i), values[i]);
    }
    assertEquals(TaxiTripCsv.parse(LINE), TaxiTripJson.fromJsonMap(m));
  }

  /** Every field may be missing; fare and start time get their documented stand-ins. */
  @Test
  public void emptyObjectIsATripWithEverythingMissing() throws Exception {
    TaxiTrip t = TaxiTripJson.fromJsonMap(Map.of());
    assertTrue(Double.isNaN(t.fare()));
    assertEquals(TaxiTrip.UNKNOWN_START, t.tripStartTimestamp());
    assertNull(t.paymentType());
    assertNull(t.tripMiles());
    assertNull(t.tips());
  }

  /** A value of the wrong type is a malformed trip, with the column in the reason. */
  @Test
  public void wrongTypeIsMalformed() {
    MalformedTripException e =
        assertThrows(
            MalformedTripException.class,
            () -> TaxiTripJson.fromJsonMap(Map.of("trip_seconds", "ten minutes")));
    assertEquals("trip_seconds is not an integer: 'ten minutes'", e.getMessage());
    assertThrows(
        MalformedTripException.class, () -> TaxiTripJson.fromJsonMap(Map.of("trip_seconds", 1.5)));
  }
}
