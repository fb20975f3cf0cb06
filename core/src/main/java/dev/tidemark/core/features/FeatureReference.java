package dev.tidemark.core.features;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tidemark.core.features.FeatureSpec.Feature;
import dev.tidemark.core.features.FeatureSpec.Kind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training-side reference distribution of every NUMERIC feature, saved with a model as {@code
 * reference.json} so that serving can measure input drift (PSI, Kolmogorov–Smirnov) against the
 * data the model was trained on. {@code feature_spec.json} records only each feature's range; this
 * adds, per NUMERIC slot, a stratified sample of the training split: {@link #SAMPLE_SIZE} evenly
 * spaced order statistics of its non-missing values (all of them when there are fewer).
 *
 * <p>Optional and backward compatible: versions exported before it existed have no {@code
 * reference.json}; readers then skip the drift statistics.
 *
 * <pre>{@code
 * {"format": "tidemark.feature-reference/v1", "split": "train", "rows": 9471,
 *  "features": [{"index": 0, "name": "fare", "present": 9471, "missing": 0,
 *                "sample": [3.25, 3.45, ...]}, ...]}
 * }</pre>
 *
 * @param format always {@link #FORMAT}
 * @param split which rows the sample comes from (always {@code train})
 * @param rows rows in that split
 * @param features one entry per NUMERIC slot of the spec, in vector order
 */
@JsonPropertyOrder({"format", "split", "rows", "features"})
public record FeatureReference(String format, String split, long rows, List<Reference> features)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The format identifier. */
  public static final String FORMAT = "tidemark.feature-reference/v1";

  /** The file name next to {@code model.json} in a model version. */
  public static final String FILE = "reference.json";

  /** Order statistics kept per feature. */
  public static final int SAMPLE_SIZE = 200;

  /**
   * The reference of one NUMERIC slot.
   *
   * @param index the slot
   * @param name the feature name
   * @param present training rows where the value was present
   * @param missing training rows where it was missing (NaN)
   * @param sample ascending stratified sample of the present values
   */
  @JsonPropertyOrder({"index", "name", "present", "missing", "sample"})
  public record Reference(int index, String name, long present, long missing, double[] sample)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean equals(Object o) {
      return o instanceof Reference r
          && index == r.index
          && name.equals(r.name)
          && present == r.present
          && missing == r.missing
          && Arrays.equals(sample, r.sample);
    }

    @Override
    public int hashCode() {
      return 31 * index + Arrays.hashCode(sample);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public FeatureReference {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("unsupported feature reference format: " + format);
    }
    features = List.copyOf(features);
  }

  /**
   * The reference of every slot of {@code rows} (feature vectors of the training split, each of
   * length {@code width}), named by slot number. Deterministic: independent of row order. {@link
   * #numericOnly} then keeps the NUMERIC slots of a spec, with their names.
   */
  public static FeatureReference ofSlots(List<float[]> rows, int width) {
    List<Reference> refs = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      double[] values = new double[rows.size()];
      int n = 0;
      for (float[] row : rows) {
        float v = row[i];
        if (!Float.isNaN(v)) {
          values[n++] = v;
        }
      }
      double[] present = Arrays.copyOf(values, n);
      Arrays.sort(present);
      refs.add(new Reference(i, "slot" + i, n, rows.size() - n, stratified(present)));
    }
    return new FeatureReference(FORMAT, "train", rows.size(), refs);
  }

  /** The NUMERIC slots of {@code spec} only, named as in the spec. */
  public FeatureReference numericOnly(FeatureSpec spec) {
    List<Reference> refs = new ArrayList<>();
    for (Feature f : spec.features()) {
      Reference r = forIndex(f.index());
      if (f.kind() == Kind.NUMERIC && r != null) {
        refs.add(new Reference(f.index(), f.name(), r.present(), r.missing(), r.sample()));
      }
    }
    return new FeatureReference(format, split, rows, refs);
  }

  /** {@link #SAMPLE_SIZE} evenly spaced order statistics of {@code sorted} (or all of it). */
  static double[] stratified(double[] sorted) {
    if (sorted.length <= SAMPLE_SIZE) {
      return sorted.clone();
    }
    double[] out = new double[SAMPLE_SIZE];
    for (int k = 0; k < SAMPLE_SIZE; k++) {
      out[k] = sorted[(int) ((k + 0.5) * sorted.length / SAMPLE_SIZE)];
    }
    return out;
  }

  /** The reference of slot {@code index}, or null when the slot has none. */
  public Reference forIndex(int index) {
    for (Reference r : features) {
      if (r.index() == index) {
        return r;
      }
    }
    return null;
  }

  /** As pretty-printed JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write feature reference", e);
    }
  }

  /** Reads what {@link #toJson()} wrote. */
  public static FeatureReference fromJson(String json) {
    try {
      return JSON.readValue(json, FeatureReference.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a feature reference: " + e.getOriginalMessage(), e);
    }
  }
}
