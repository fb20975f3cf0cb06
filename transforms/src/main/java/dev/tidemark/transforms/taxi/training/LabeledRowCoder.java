package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.training.LabeledRow;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A compact binary coder for {@link LabeledRow}: id, split, vector length and floats, labels. */
public final class LabeledRowCoder extends AtomicCoder<LabeledRow> {
  private static final LabeledRowCoder INSTANCE = new LabeledRowCoder();

  private LabeledRowCoder() {}

  /** The coder. */
  public static LabeledRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(LabeledRow r, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeUTF(r.tripId());
    out.writeBoolean(r.eval());
    out.writeInt(r.features().length);
    for (float f : r.features()) {
      out.writeFloat(f);
    }
    out.writeFloat(r.bigTipper());
    out.writeFloat(r.tips());
    out.flush();
  }

  @Override
  public LabeledRow decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    String id = in.readUTF();
    boolean eval = in.readBoolean();
    float[] features = new float[in.readInt()];
    for (int i = 0; i < features.length; i++) {
      features[i] = in.readFloat();
    }
    return new LabeledRow(id, eval, features, in.readFloat(), in.readFloat());
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
