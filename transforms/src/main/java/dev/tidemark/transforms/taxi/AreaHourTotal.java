package dev.tidemark.transforms.taxi;

import java.io.Serializable;
import java.time.Instant;

/**
 * Trips and fares of one pickup community area in one hour of event time.
 *
 * @param pickupArea the community area number, or {@code "unknown"} when the trip had none
 * @param hourStart start of the event-time hour (the window)
 * @param trips number of trips that started in that area and hour
 * @param fareCents sum of their fares, in cents (exact)
 */
public record AreaHourTotal(String pickupArea, Instant hourStart, long trips, long fareCents)
    implements Serializable {

  /** Header of {@link #toCsv()} lines. */
  public static final String CSV_HEADER = "pickup_area,hour_start,trips,fare_sum";

  /** {@code area,hourStart,trips,fareSum} with the fare sum in dollars to the cent. */
  public String toCsv() {
    return pickupArea
        + ','
        + hourStart
        + ','
        + trips
        + ','
        + (fareCents / 100)
        + '.'
        + String.format("%02d", Math.abs(fareCents % 100));
  }
}
