package dev.tidemark.transforms.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * A {@code float[]} (a feature vector) as its length, a varint, then each value's 4 IEEE-754 bytes.
 * Deterministic: the same array always encodes to the same bytes (NaN keeps its bit pattern).
 */
public final class FloatArrayCoder extends AtomicCoder<float[]> {

  private static final FloatArrayCoder INSTANCE = new FloatArrayCoder();

  private FloatArrayCoder() {}

  /** The coder. */
  public static FloatArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(float[] value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null float[] (wrap in NullableCoder)");
    }
    VarInt.encode(value.length, out);
    DataOutputStream data = new DataOutputStream(out);
    for (float f : value) {
      data.writeInt(Float.floatToRawIntBits(f));
    }
    data.flush();
  }

  @Override
  public float[] decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative float[] length " + n);
    }
    DataInputStream data = new DataInputStream(in);
    float[] value = new float[n];
    for (int i = 0; i < n; i++) {
      value[i] = Float.intBitsToFloat(data.readInt());
    }
    return value;
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public Object structuralValue(float[] value) {
    return new StructuralFloats(value);
  }

  /** Equality by content, for Beam's structural comparisons. */
  private record StructuralFloats(float[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof StructuralFloats s && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
