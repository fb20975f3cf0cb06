package dev.tidemark.transforms.taxi;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TripColumn;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * The Beam coder of {@link TaxiTrip}, derived from the trip's column table ({@link TripColumn}): a
 * presence bitmask (one bit per column, as a varint), then each present value by its column's type
 * — integers and the start time as varints, decimals as 8-byte IEEE doubles, text as a varint
 * length and UTF-8 bytes. Deterministic, so trips may be keys; about 60 bytes for a full sample
 * trip where Java serialization takes over 700.
 */
public final class TaxiTripCoder extends AtomicCoder<TaxiTrip> {
  private static final TaxiTripCoder INSTANCE = new TaxiTripCoder();

  private TaxiTripCoder() {}

  /** The coder. */
  public static TaxiTripCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TaxiTrip trip, OutputStream out) throws IOException {
    Object[] values = TripColumn.values(trip);
    int mask = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        mask |= 1 << i;
      }
    }
    VarInt.encode(mask, out);
    DataOutputStream data = null;
    for (TripColumn c : TripColumn.ALL) {
      Object v = values[c.ordinal()];
      if (v == null) {
        continue;
      }
      switch (c.type()) {
        case INTEGER -> VarInt.encode((Integer) v, out);
        case LONG -> VarInt.encode((Long) v, out);
        case DECIMAL -> {
          if (data == null) {
            data = new DataOutputStream(out);
          }
          data.writeDouble((Double) v);
          data.flush();
        }
        case TEXT -> {
          byte[] bytes = ((String) v).getBytes(StandardCharsets.UTF_8);
          VarInt.encode(bytes.length, out);
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public TaxiTrip decode(InputStream in) throws IOException {
    int mask = VarInt.decodeInt(in);
    Object[] values = new Object[TripColumn.ALL.size()];
    DataInputStream data = null;
    for (TripColumn c : TripColumn.ALL) {
      if ((mask & (1 << c.ordinal())) == 0) {
        continue;
      }
      values[c.ordinal()] =
          switch (c.type()) {
            case INTEGER -> VarInt.decodeInt(in);
            case LONG -> VarInt.decodeLong(in);
            case DECIMAL -> {
              if (data == null) {
                data = new DataInputStream(in);
              }
              yield data.readDouble();
            }
            case TEXT -> {
              int length = VarInt.decodeInt(in);
              if (length < 0) {
                throw new CoderException("negative text length " + length);
              }
              byte[] bytes = in.readNBytes(length);
              if (bytes.length != length) {
                throw new java.io.EOFException("text of " + c + " ends early");
              }
              yield new String(bytes, StandardCharsets.UTF_8);
            }
          };
    }
    return TripColumn.trip(values);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
