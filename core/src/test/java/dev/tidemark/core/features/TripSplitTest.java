package dev.tidemark.core.features;

import static dev.tidemark.core.fixtures.Trips.CARD_RIDE_DOWNTOWN;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.tidemark.core.fixtures.Trips;
import org.junit.Test;

/** The stable trip id and the deterministic train/eval split. */
public class TripSplitTest {

  /**
   * The id is the first 16 hex digits of SHA-256 over the CSV line without tips (expected value
   * from Python: {@code hashlib.sha256(line.encode()).hexdigest()[:16]}).
   */
  @Test
  public void tripIdIsTheHashOfTheLineWithoutTips() {
    assertEquals("bf1a089bb7c9f063", TripSplit.tripId(CARD_RIDE_DOWNTOWN));
    assertEquals(
        TripSplit.tripId(CARD_RIDE_DOWNTOWN),
        TripSplit.tripId(Trips.withTips(CARD_RIDE_DOWNTOWN, 99.0)));
  }

  /** 0xbf1a089bb7c9f063 mod 100 = 23 (training); ids below 20 mod 100 are eval. */
  @Test
  public void splitFollowsTheHashModuloHundred() {
    assertFalse(TripSplit.isEval("bf1a089bb7c9f063"));
    assertTrue(TripSplit.isEval("0000000000000013")); // 19
    assertFalse(TripSplit.isEval("0000000000000014")); // 20
    assertTrue(TripSplit.isEval("ffffffffffffffff")); // 18446744073709551615 mod 100 = 15
  }
}
