package dev.tidemark.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/** A {@code long[]} (counts, a histogram) as its length, then each value as a varint. */
public final class LongArrayCoder extends AtomicCoder<long[]> {

  private static final LongArrayCoder INSTANCE = new LongArrayCoder();

  private LongArrayCoder() {}

  /** The coder. */
  public static LongArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(long[] value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null long[] (wrap in NullableCoder)");
    }
    VarInt.encode(value.length, out);
    for (long v : value) {
      VarInt.encode(v, out);
    }
  }

  @Override
  public long[] decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative long[] length " + n);
    }
    long[] value = new long[n];
    for (int i = 0; i < n; i++) {
      value[i] = VarInt.decodeLong(in);
    }
    return value;
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public Object structuralValue(long[] value) {
    return new StructuralLongs(value);
  }

  /** Equality by content, for Beam's structural comparisons. */
  private record StructuralLongs(long[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof StructuralLongs s && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
