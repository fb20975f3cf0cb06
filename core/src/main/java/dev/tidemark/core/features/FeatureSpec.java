package dev.tidemark.core.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What each slot of the FP32 feature vector means, in vector order: its name, kind, source column,
 * vocabulary term or bucket boundaries, and the range seen in training. Saved with every model as
 * {@code feature_spec.json}; {@link TaxiFeatures} computes vectors from it, so a reloaded spec
 * yields the same vectors as the one the model was trained with.
 *
 * <p>JSON form ({@link #toJson()}, {@link #fromJson(String)}):
 *
 * <pre>{@code
 * {"format": "tidemark.feature-spec/v1", "vectorType": "FP32", "missingValue": "NaN",
 *  "label": "tips > 0.2 * fare", "length": 46,
 *  "features": [
 *    {"index": 0, "name": "fare", "kind": "NUMERIC", "column": "fare",
 *     "trainingMin": 0.01, "trainingMax": 112.65},
 *    {"index": 12, "name": "trip_start_hour_bucket", "kind": "BUCKETIZED",
 *     "column": "trip_start_hour", "boundaries": [6.0, 10.0, 16.0, 20.0],
 *     "trainingMin": 0.0, "trainingMax": 4.0},
 *    {"index": 13, "name": "trip_miles_missing", "kind": "MISSING_INDICATOR", "column": "trip_miles"},
 *    {"index": 21, "name": "payment_type=Cash", "kind": "ONE_HOT", "column": "payment_type",
 *     "term": "Cash"},
 *    {"index": 24, "name": "payment_type=<OOV>", "kind": "OUT_OF_VOCABULARY",
 *     "column": "payment_type"}, ...]}
 * }</pre>
 *
 * @param format always {@link #FORMAT}
 * @param vectorType always {@code FP32}
 * @param missingValue always {@code NaN}: the value of a missing numeric input (XGBoost's native
 *     missing value)
 * @param label how the training label was defined (documentation only; features never read it)
 * @param length the vector length, equal to the number of features
 * @param features one entry per vector slot, {@code features.get(i).index() == i}
 */
@JsonPropertyOrder({"format", "vectorType", "missingValue", "label", "length", "features"})
public record FeatureSpec(
    String format,
    String vectorType,
    String missingValue,
    String label,
    int length,
    List<Feature> features)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The format identifier written into every spec. */
  public static final String FORMAT = "tidemark.feature-spec/v1";

  /** What a slot computes from its source column. */
  public enum Kind {
    /** The column's value as a float; NaN when missing. */
    NUMERIC,
    /**
     * The index of the bucket the value falls in ({@code boundaries}, left-closed); NaN when
     * missing.
     */
    BUCKETIZED,
    /** 1 when the column is missing, else 0. */
    MISSING_INDICATOR,
    /** 1 when the column equals {@code term}, else 0 (also 0 when missing). */
    ONE_HOT,
    /** 1 when the column is present but not in the vocabulary of its ONE_HOT slots, else 0. */
    OUT_OF_VOCABULARY
  }

  /**
   * One vector slot.
   *
   * @param index position in the vector
   * @param name unique, readable name, e.g. {@code payment_type=Cash}
   * @param kind what it computes
   * @param column the source column (a CSV column name, never {@code tips})
   * @param term the vocabulary term (ONE_HOT only)
   * @param boundaries ascending bucket boundaries (BUCKETIZED only)
   * @param trainingMin smallest value seen in the training split (NUMERIC and BUCKETIZED), or null
   * @param trainingMax largest value seen in the training split (NUMERIC and BUCKETIZED), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "index",
    "name",
    "kind",
    "column",
    "term",
    "boundaries",
    "trainingMin",
    "trainingMax"
  })
  public record Feature(
      int index,
      String name,
      Kind kind,
      String column,
      String term,
      List<Double> boundaries,
      Double trainingMin,
      Double trainingMax)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Feature {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(column, "column");
      if (kind == Kind.ONE_HOT && term == null) {
        throw new IllegalArgumentException("ONE_HOT feature " + name + " needs a term");
      }
      if (kind == Kind.BUCKETIZED && (boundaries == null || boundaries.isEmpty())) {
        throw new IllegalArgumentException("BUCKETIZED feature " + name + " needs boundaries");
      }
      boundaries = boundaries == null ? null : List.copyOf(boundaries);
    }

    /** Whether {@code value} (not NaN) lies outside the range seen in training. */
    public boolean outsideTrainingRange(double value) {
      return (trainingMin != null && value < trainingMin)
          || (trainingMax != null && value > trainingMax);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public FeatureSpec {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("unsupported feature spec format: " + format);
    }
    if (!"FP32".equals(vectorType) || !"NaN".equals(missingValue)) {
      throw new IllegalArgumentException("only FP32 vectors with NaN as missing value are known");
    }
    features = List.copyOf(features);
    if (length != features.size()) {
      throw new IllegalArgumentException(
          "length " + length + " differs from the " + features.size() + " features");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      Feature f = features.get(i);
      if (f.index() != i) {
        throw new IllegalArgumentException(
            "feature " + f.name() + " is at " + i + ", not " + f.index());
      }
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("duplicate feature name " + f.name());
      }
      if (!TaxiFeatures.READABLE_COLUMNS.contains(f.column())) {
        throw new IllegalArgumentException(
            "feature "
                + f.name()
                + " reads column '"
                + f.column()
                + "', which features may not read");
      }
    }
  }

  /** A spec over {@code features}, indexed in list order. */
  public static FeatureSpec of(String label, List<Feature> features) {
    return new FeatureSpec(FORMAT, "FP32", "NaN", label, features.size(), features);
  }

  /** The feature names in vector order. */
  public List<String> names() {
    return features.stream().map(Feature::name).toList();
  }

  /** The vocabulary of {@code column}: the terms of its ONE_HOT slots, in vector order. */
  public List<String> vocabulary(String column) {
    List<String> terms = new ArrayList<>();
    for (Feature f : features) {
      if (f.kind() == Kind.ONE_HOT && f.column().equals(column)) {
        terms.add(f.term());
      }
    }
    return terms;
  }

  /** The spec as pretty-printed JSON (UTF-8 when written to a file). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write feature spec", e);
    }
  }

  /** Reads a spec written by {@link #toJson()}. */
  public static FeatureSpec fromJson(String json) {
    try {
      return JSON.readValue(json, FeatureSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a feature spec: " + e.getOriginalMessage(), e);
    }
  }
}
