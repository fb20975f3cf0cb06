package dev.tidemark.core.protocol;

import static dev.tidemark.core.fixtures.Trips.BARE_NIGHT_TRIP;
import static dev.tidemark.core.fixtures.Trips.LOOP_CARD_TRIP;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;

/** The V2 wire format of a batch of trips and of the server's answer. */
public class V2TripsTest {

  /**
   * One input per trip column but the label, typed as the server's metadata says; null = missing.
   */
  @Test
  public void aRequestHoldsOneInputPerTripColumn() {
    String request = new String(V2Trips.request(List.of(LOOP_CARD_TRIP, BARE_NIGHT_TRIP)), UTF_8);
    assertEquals(
        "{\"inputs\":["
            + "{\"name\":\"pickup_community_area\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[32,null]},"
            + "{\"name\":\"fare\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[9.25,5.0]},"
            + "{\"name\":\"trip_start_month\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[3,null]},"
            + "{\"name\":\"trip_start_hour\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[18,2]},"
            + "{\"name\":\"trip_start_day\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[5,null]},"
            + "{\"name\":\"trip_start_timestamp\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[1362683100,1362459600]},"
            + "{\"name\":\"pickup_latitude\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[41.880994471,null]},"
            + "{\"name\":\"pickup_longitude\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[-87.632746489,null]},"
            + "{\"name\":\"dropoff_latitude\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[41.892042136,null]},"
            + "{\"name\":\"dropoff_longitude\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[-87.63186395,null]},"
            + "{\"name\":\"trip_miles\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[1.6,null]},"
            + "{\"name\":\"pickup_census_tract\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"17031320100\",null]},"
            + "{\"name\":\"dropoff_census_tract\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"17031081700\",null]},"
            + "{\"name\":\"payment_type\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"Credit Card\",null]},"
            + "{\"name\":\"company\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"Flash Cab\",null]},"
            + "{\"name\":\"trip_seconds\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[600,null]},"
            + "{\"name\":\"dropoff_community_area\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[8,null]}],"
            + "\"outputs\":[{\"name\":\"probability\"}]}",
        request);
  }

  /** The answer's probabilities are parsed from their text with one rounding to float. */
  @Test
  public void anAnswerIsReadExactly() {
    V2Trips.Answer a =
        V2Trips.answer(
            ("{\"model_name\":\"taxi-tips\",\"model_version\":\"v3\",\"outputs\":[{\"name\":"
                    + "\"probability\",\"datatype\":\"FP32\",\"shape\":[3],"
                    + "\"data\":[0.39068642,0.001917438,1.0E-7]}]}")
                .getBytes(UTF_8),
            3);
    assertEquals("taxi-tips", a.model());
    assertEquals("v3", a.version());
    assertArrayEquals(new float[] {0.39068642f, 0.001917438f, 1.0e-7f}, a.probabilities(), 0f);
  }

  /** An answer without model_version has a null version; the scorer decides what to call it. */
  @Test
  public void anAnswerWithoutAVersionHasNone() {
    V2Trips.Answer a =
        V2Trips.answer(
            "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"probability\",\"data\":[0.5]}]}"
                .getBytes(UTF_8),
            1);
    assertNull(a.version());
  }

  /** Answers that are not what was asked say why in one sentence. */
  @Test
  public void aWrongAnswerSaysWhy() {
    assertEquals(
        "the answer has no output 'probability'",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    V2Trips.answer(
                        "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"p\",\"data\":[0.5]}]}"
                            .getBytes(UTF_8),
                        1))
            .getMessage());
    assertEquals(
        "the answer has no model_name",
        assertThrows(
                IllegalArgumentException.class,
                () -> V2Trips.answer("{\"outputs\":[]}".getBytes(UTF_8), 1))
            .getMessage());
  }

  /** An error body gives its "error"; any other body its text. */
  @Test
  public void errorMessagesComeFromTheErrorField() {
    assertEquals("bad input", V2Trips.errorMessage("{\"error\":\"bad input\"}".getBytes(UTF_8)));
    assertEquals("Bad Gateway", V2Trips.errorMessage("Bad Gateway\n".getBytes(UTF_8)));
  }
}
