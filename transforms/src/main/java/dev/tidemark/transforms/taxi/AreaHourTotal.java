package dev.tidemark.transforms.taxi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Trips and fares of one pickup community area in one hour of event time.
 *
 * @param pickupArea the community area number, or {@code "unknown"} when the trip had none
 * @param hourStart start of the event-time hour (the window)
 * @param trips number of trips that started in that area and hour
 * @param fareCents sum of their fares, in cents (exact)
 */
public record AreaHourTotal(String pickupArea, Instant hourStart, long trips, long fareCents) {

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

  /** The coder of totals: area, hour start (epoch millis), trips and cents as varints. */
  public static Coder<AreaHourTotal> coder() {
    return AreaHourTotalCoder.INSTANCE;
  }

  /** Area as UTF-8, then three varints. */
  static final class AreaHourTotalCoder extends AtomicCoder<AreaHourTotal> {
    static final AreaHourTotalCoder INSTANCE = new AreaHourTotalCoder();
    private static final Coder<String> AREA = StringUtf8Coder.of();

    @Override
    public void encode(AreaHourTotal t, OutputStream out) throws IOException {
      AREA.encode(t.pickupArea(), out);
      VarInt.encode(t.hourStart().toEpochMilli(), out);
      VarInt.encode(t.trips(), out);
      VarInt.encode(t.fareCents(), out);
    }

    @Override
    public AreaHourTotal decode(InputStream in) throws IOException {
      return new AreaHourTotal(
          AREA.decode(in),
          Instant.ofEpochMilli(VarInt.decodeLong(in)),
          VarInt.decodeLong(in),
          VarInt.decodeLong(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
