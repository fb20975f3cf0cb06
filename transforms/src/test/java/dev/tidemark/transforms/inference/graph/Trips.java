package dev.tidemark.transforms.inference.graph;

import dev.tidemark.core.trip.TaxiTrip;

/** Test vocabulary: trips with the few fields graph tests route on. */
final class Trips {

  /** 2015-03-07T10:00:00Z, in Unix seconds. */
  static final long TEN_AM = 1_425_722_400L;

  private Trips() {}

  /** A trip of {@code fare} dollars and {@code miles}, paid by {@code payment}, starting at t. */
  static TaxiTrip trip(double fare, double miles, String payment, long startSeconds) {
    return new TaxiTrip(
        8,
        fare,
        3,
        10,
        7,
        startSeconds,
        41.89,
        -87.63,
        41.88,
        -87.62,
        miles,
        "17031081500",
        null,
        payment,
        "Flash Cab",
        600,
        32,
        null);
  }

  /** A trip paid by {@code payment} whose fare is {@code fare}, at ten. */
  static TaxiTrip trip(double fare, String payment) {
    return trip(fare, 1.5, payment, TEN_AM);
  }
}
