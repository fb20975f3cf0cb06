package dev.tidemark.transforms.taxi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.tidemark.core.fixtures.Trips;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.testing.SampleData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** {@link TaxiTripCoder}: exact, deterministic and compact, for every trip of the sample. */
public class TaxiTripCoderTest {

  /** Named trips, every field present or nearly none, round-trip and encode deterministically. */
  @Test
  public void namedTripsRoundTripDeterministically() throws Exception {
    for (TaxiTrip t :
        List.of(
            Trips.CARD_RIDE_DOWNTOWN,
            Trips.PCARD_RIDE_NO_DROPOFF,
            Trips.LOOP_CARD_TRIP,
            Trips.OHARE_CASH_TRIP,
            Trips.BARE_NIGHT_TRIP)) {
      CoderProperties.coderDecodeEncodeEqual(TaxiTripCoder.of(), t);
      CoderProperties.coderDeterministic(TaxiTripCoder.of(), t, t);
      CoderProperties.coderConsistentWithEquals(TaxiTripCoder.of(), t, t);
      CoderProperties.structuralValueDecodeEncodeEqual(TaxiTripCoder.of(), t);
    }
    CoderProperties.coderSerializable(TaxiTripCoder.of());
  }

  /**
   * Inference inputs may lack the fare (NaN) and the start time, and the CSV allows negative and
   * extreme integers; all survive the coder.
   */
  @Test
  public void missingFareUnknownStartAndExtremeValuesRoundTrip() throws Exception {
    TaxiTrip lenient =
        new TaxiTrip(
            -3,
            Double.NaN,
            null,
            0,
            null,
            TaxiTrip.UNKNOWN_START,
            -0.0,
            1e300,
            null,
            null,
            0.0,
            "",
            "é ☃ 17031",
            null,
            "Flash Cab",
            Integer.MAX_VALUE,
            Integer.MIN_VALUE,
            -1.5);
    CoderProperties.coderDecodeEncodeEqual(TaxiTripCoder.of(), lenient);
  }

  /** Every trip of the shipped sample decodes to itself, at a fraction of Java serialization. */
  @Test
  public void everySampleTripRoundTripsAndIsSmallerThanJavaSerialization() throws Exception {
    List<TaxiTrip> trips = new ArrayList<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips())) {
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        trips.add(TaxiTripCsv.parse(line));
      } catch (MalformedTripException e) {
        // The coder sees parsed trips only.
      }
    }
    long ours = 0;
    long java = 0;
    for (TaxiTrip t : trips) {
      byte[] bytes = CoderUtils.encodeToByteArray(TaxiTripCoder.of(), t);
      assertEquals(t, CoderUtils.decodeFromByteArray(TaxiTripCoder.of(), bytes));
      ours += bytes.length;
      java += CoderUtils.encodeToByteArray(SerializableCoder.of(TaxiTrip.class), t).length;
    }
    assertTrue("the sample parses", trips.size() > 11_000);
    assertTrue("coder bytes " + ours + " vs Java serialization " + java, ours * 5 < java);
  }

  /** A truncated encoding is an error, never a silently shorter trip. */
  @Test
  public void truncatedBytesAreRefused() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(TaxiTripCoder.of(), Trips.CARD_RIDE_DOWNTOWN);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    assertThrows(
        java.io.EOFException.class,
        () -> TaxiTripCoder.of().decode(new java.io.ByteArrayInputStream(cut)));
  }
}
