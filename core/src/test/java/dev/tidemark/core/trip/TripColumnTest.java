package dev.tidemark.core.trip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.fixtures.Trips;
import java.util.List;
import org.junit.Test;

/** The column table: the one definition every form of the trip is derived from. */
public class TripColumnTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The table lists the published sample's header, in order. */
  @Test
  public void namesAreTheSampleHeader() {
    assertEquals(
        "pickup_community_area,fare,trip_start_month,trip_start_hour,trip_start_day,"
            + "trip_start_timestamp,pickup_latitude,pickup_longitude,dropoff_latitude,"
            + "dropoff_longitude,trip_miles,pickup_census_tract,dropoff_census_tract,payment_type,"
            + "company,trip_seconds,dropoff_community_area,tips",
        TaxiTripCsv.HEADER);
  }

  /** Sixteen columns are features: all but the label (tips) and the event time. */
  @Test
  public void everyColumnButLabelAndEventTimeIsAFeature() {
    List<String> notFeatures =
        TripColumn.ALL.stream().filter(c -> !c.isFeature()).map(TripColumn::column).toList();
    assertEquals(List.of("trip_start_timestamp", "tips"), notFeatures);
  }

  /** A trip's values in table order rebuild the same trip. */
  @Test
  public void valuesRebuildTheTrip() {
    for (TaxiTrip t :
        List.of(Trips.CARD_RIDE_DOWNTOWN, Trips.PCARD_RIDE_NO_DROPOFF, Trips.BARE_NIGHT_TRIP)) {
      assertEquals(t, TripColumn.trip(TripColumn.values(t)));
    }
  }

  /** Text as in the CSV: blanks around a value are ignored, an empty field is missing. */
  @Test
  public void textValuesReadAsTheCsvWritesThem() throws Exception {
    assertEquals(8, TripColumn.PICKUP_COMMUNITY_AREA.fromText(" 8 "));
    assertEquals(12.45, TripColumn.FARE.fromText("12.45"));
    assertEquals(1431716400L, TripColumn.TRIP_START_TIMESTAMP.fromText("1431716400"));
    assertEquals("Cash", TripColumn.PAYMENT_TYPE.fromText("Cash"));
    assertNull(TripColumn.COMPANY.fromText("  "));
    assertEquals(
        "fare is not a number: 'twelve'",
        assertThrows(MalformedTripException.class, () -> TripColumn.FARE.fromText("twelve"))
            .getMessage());
    assertEquals(
        "trip_seconds is out of range: 3000000000",
        assertThrows(
                MalformedTripException.class, () -> TripColumn.TRIP_SECONDS.fromText("3000000000"))
            .getMessage());
  }

  /** A trip event respects the ranges of the table: here a month 13 and a negative fare. */
  @Test
  public void eventValuesRespectTheColumnRanges() throws Exception {
    assertEquals(
        "trip_start_month is out of range 1..12: 13",
        assertThrows(
                MalformedTripException.class,
                () -> TripColumn.TRIP_START_MONTH.fromEventJson(JSON.readTree("13")))
            .getMessage());
    assertEquals(
        "fare is negative: -1.0",
        assertThrows(
                MalformedTripException.class,
                () -> TripColumn.FARE.fromEventJson(JSON.readTree("-1.0")))
            .getMessage());
    assertEquals(
        "payment_type is not a string: 3",
        assertThrows(
                MalformedTripException.class,
                () -> TripColumn.PAYMENT_TYPE.fromEventJson(JSON.readTree("3")))
            .getMessage());
    assertEquals(12, TripColumn.TRIP_START_MONTH.fromEventJson(JSON.readTree("12")));
  }

  /** Loose values (V1 instances): numeric strings, whole doubles, tracts sent as numbers. */
  @Test
  public void looseValuesAcceptNumericStringsAndWholeDoubles() throws Exception {
    assertEquals(76, TripColumn.PICKUP_COMMUNITY_AREA.fromLoose("76"));
    assertEquals(76, TripColumn.PICKUP_COMMUNITY_AREA.fromLoose(76.0));
    assertEquals("17031081300", TripColumn.PICKUP_CENSUS_TRACT.fromLoose(1.70310813E10));
    assertEquals(
        "trip_start_hour is not an integer: 7.5",
        assertThrows(MalformedTripException.class, () -> TripColumn.TRIP_START_HOUR.fromLoose(7.5))
            .getMessage());
  }
}
