package dev.tidemark.core.trip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import dev.tidemark.testing.SampleData;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalLong;
import org.junit.Test;

/** Specification of the JSON form of trip events. */
public class TaxiTripJsonTest {

  /** A trip that started on 2013-10-01 at 02:15 UTC in community area 60. */
  private static final TaxiTrip LATE_NIGHT_TRIP =
      new TaxiTrip(
          60,
          27.05,
          10,
          2,
          3,
          1380593700L,
          41.836150155,
          -87.648787952,
          null,
          null,
          12.6,
          null,
          null,
          "Cash",
          "Taxi Affiliation Services",
          1380,
          null,
          0.0);

  /** The JSON of a trip uses the CSV column names and null for missing values. */
  @Test
  public void tripIsWrittenWithCsvColumnNames() {
    assertThat(
        new String(TaxiTripJson.toJson(LATE_NIGHT_TRIP), UTF_8),
        equalTo(
            "{\"pickup_community_area\":60,\"fare\":27.05,\"trip_start_month\":10,"
                + "\"trip_start_hour\":2,\"trip_start_day\":3,\"trip_start_timestamp\":1380593700,"
                + "\"pickup_latitude\":41.836150155,\"pickup_longitude\":-87.648787952,"
                + "\"dropoff_latitude\":null,\"dropoff_longitude\":null,\"trip_miles\":12.6,"
                + "\"pickup_census_tract\":null,\"dropoff_census_tract\":null,"
                + "\"payment_type\":\"Cash\",\"company\":\"Taxi Affiliation Services\","
                + "\"trip_seconds\":1380,\"dropoff_community_area\":null,\"tips\":0.0}"));
  }

  /** Every trip of the shipped sample survives a JSON round trip unchanged. */
  @Test
  public void everyShippedTripRoundTrips() throws Exception {
    List<String> lines = Files.readAllLines(SampleData.taxiTrips(), UTF_8);
    int trips = 0;
    for (String line : lines.subList(1, lines.size())) {
      TaxiTrip t = TaxiTripCsv.parse(line);
      assertThat(TaxiTripJson.parse(TaxiTripJson.toJson(t)), equalTo(t));
      trips++;
    }
    assertThat(trips, equalTo(12002));
  }

  /** The event time is read without parsing the rest of the event. */
  @Test
  public void tripStartIsReadAlone() {
    assertThat(
        TaxiTripJson.tripStartSeconds("{\"trip_start_timestamp\":1380593700}".getBytes(UTF_8)),
        equalTo(OptionalLong.of(1380593700L)));
    assertThat(
        TaxiTripJson.tripStartSeconds("not json".getBytes(UTF_8)), equalTo(OptionalLong.empty()));
  }

  /** Malformed events are rejected with a reason that names the problem. */
  @Test
  public void malformedEventsAreRejectedWithTheirReason() {
    assertReason("{\"fare\":5.0", "the event is not valid JSON: Unexpected end-of-input");
    assertReason("[1,2]", "the event is not a JSON object");
    assertReason("{\"trip_start_timestamp\":1380593700}", "fare is missing");
    assertReason("{\"fare\":5.0}", "trip_start_timestamp is missing");
    assertReason(
        "{\"fare\":\"five\",\"trip_start_timestamp\":1380593700}",
        "fare is not a number: \"five\"");
    assertReason("{\"fare\":-3.0,\"trip_start_timestamp\":1380593700}", "fare is negative: -3.0");
    assertReason(
        "{\"fare\":5.0,\"trip_start_timestamp\":12}",
        "trip_start_timestamp is not a plausible time (2000-2099): 12");
    assertReason(
        "{\"fare\":5.0,\"trip_start_timestamp\":1380593700,\"trip_start_hour\":24}",
        "trip_start_hour is out of range 0..23: 24");
    assertReason(
        "{\"fare\":5.0,\"trip_start_timestamp\":1380593700,\"pickup_community_area\":78}",
        "pickup_community_area is out of range 1..77: 78");
    MalformedTripException e =
        assertThrows(
            MalformedTripException.class,
            () -> TaxiTripJson.parse(new byte[] {(byte) 0xC3, (byte) 0x28}));
    assertThat(e.getMessage(), equalTo("the event is not UTF-8 text"));
  }

  private static void assertReason(String json, String reason) {
    MalformedTripException e =
        assertThrows(MalformedTripException.class, () -> TaxiTripJson.parse(json.getBytes(UTF_8)));
    assertThat(e.getMessage().startsWith(reason), equalTo(true));
  }
}
