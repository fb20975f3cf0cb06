package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.trip.TaxiTrip;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A compact binary coder for {@link TaxiTrip}: a presence bitmask, then the present fields. Several
 * times smaller and faster than Java serialization, which matters on runners that encode every
 * element between steps (DirectRunner checks immutability by encoding).
 */
public final class TaxiTripCoder extends AtomicCoder<TaxiTrip> {
  private static final TaxiTripCoder INSTANCE = new TaxiTripCoder();

  private TaxiTripCoder() {}

  /** The coder. */
  public static TaxiTripCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TaxiTrip t, OutputStream outStream) throws IOException {
    Object[] nullable = {
      t.pickupCommunityArea(), t.tripStartMonth(), t.tripStartHour(), t.tripStartDay(),
      t.pickupLatitude(), t.pickupLongitude(), t.dropoffLatitude(), t.dropoffLongitude(),
      t.tripMiles(), t.pickupCensusTract(), t.dropoffCensusTract(), t.paymentType(),
      t.company(), t.tripSeconds(), t.dropoffCommunityArea(), t.tips()
    };
    int mask = 0;
    for (int i = 0; i < nullable.length; i++) {
      if (nullable[i] != null) {
        mask |= 1 << i;
      }
    }
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeShort(mask);
    out.writeDouble(t.fare());
    out.writeLong(t.tripStartTimestamp());
    for (Object v : nullable) {
      if (v instanceof Integer i) {
        out.writeInt(i);
      } else if (v instanceof Double d) {
        out.writeDouble(d);
      } else if (v instanceof String s) {
        out.writeUTF(s);
      }
    }
    out.flush();
  }

  @Override
  public TaxiTrip decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    int mask = in.readUnsignedShort();
    double fare = in.readDouble();
    long start = in.readLong();
    int[] bit = {0};
    return new TaxiTrip(
        intOrNull(in, mask, bit),
        fare,
        intOrNull(in, mask, nextBit(bit, 1)),
        intOrNull(in, mask, nextBit(bit, 2)),
        intOrNull(in, mask, nextBit(bit, 3)),
        start,
        doubleOrNull(in, mask, nextBit(bit, 4)),
        doubleOrNull(in, mask, nextBit(bit, 5)),
        doubleOrNull(in, mask, nextBit(bit, 6)),
        doubleOrNull(in, mask, nextBit(bit, 7)),
        doubleOrNull(in, mask, nextBit(bit, 8)),
        stringOrNull(in, mask, nextBit(bit, 9)),
        stringOrNull(in, mask, nextBit(bit, 10)),
        stringOrNull(in, mask, nextBit(bit, 11)),
        stringOrNull(in, mask, nextBit(bit, 12)),
        intOrNull(in, mask, nextBit(bit, 13)),
        intOrNull(in, mask, nextBit(bit, 14)),
        doubleOrNull(in, mask, nextBit(bit, 15)));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  private static int[] nextBit(int[] bit, int value) {
    bit[0] = value;
    return bit;
  }

  private static Integer intOrNull(DataInputStream in, int mask, int[] bit) throws IOException {
    return (mask & (1 << bit[0])) == 0 ? null : in.readInt();
  }

  private static Double doubleOrNull(DataInputStream in, int mask, int[] bit) throws IOException {
    return (mask & (1 << bit[0])) == 0 ? null : in.readDouble();
  }

  private static String stringOrNull(DataInputStream in, int mask, int[] bit) throws IOException {
    return (mask & (1 << bit[0])) == 0 ? null : in.readUTF();
  }
}
