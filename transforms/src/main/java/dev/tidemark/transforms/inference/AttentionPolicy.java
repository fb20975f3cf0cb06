package dev.tidemark.transforms.inference;

import dev.tidemark.core.features.FeatureSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides which predictions need a human look, and says why. Plain Java (no Beam), serializable.
 *
 * <ul>
 *   <li><b>Low confidence</b>: the probability lies in a band around the decision threshold,
 *       inclusive, by default {@code [0.4, 0.6]} ({@link #withConfidenceBand}).
 *   <li><b>Out of training range</b>: an input feature lies outside the range seen in training, as
 *       the version's feature spec records it ({@code trainingMin}/{@code trainingMax}, NUMERIC and
 *       BUCKETIZED slots). One reason per such feature. Missing values (NaN) are never out of
 *       range. The vector holds FP32 values and the spec the double range of the training values,
 *       so the comparison is made in FP32 ({@code value < (float) min || value > (float) max}):
 *       otherwise the training maximum itself, e.g. a fare of 112.65 (112.6500015 as a float),
 *       would count as out of range.
 * </ul>
 *
 * <p>An empty list of reasons means the prediction needs no attention.
 */
public final class AttentionPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default lower edge of the low-confidence band. */
  public static final double DEFAULT_LOW = 0.4;

  /** Default upper edge of the low-confidence band. */
  public static final double DEFAULT_HIGH = 0.6;

  private final double low;
  private final double high;
  private final boolean rangeCheck;

  private AttentionPolicy(double low, double high, boolean rangeCheck) {
    if (!(0 <= low && low <= high && high <= 1)) {
      throw new IllegalArgumentException(
          "the confidence band must satisfy 0 <= low <= high <= 1: [" + low + ", " + high + "]");
    }
    this.low = low;
    this.high = high;
    this.rangeCheck = rangeCheck;
  }

  /** Band {@code [0.4, 0.6]} and the training-range check. */
  public static AttentionPolicy defaults() {
    return new AttentionPolicy(DEFAULT_LOW, DEFAULT_HIGH, true);
  }

  /** Probabilities in {@code [low, high]} (inclusive) are low-confidence. */
  public AttentionPolicy withConfidenceBand(double low, double high) {
    return new AttentionPolicy(low, high, rangeCheck);
  }

  /** Whether inputs outside the training range need attention (default: yes). */
  public AttentionPolicy withRangeCheck(boolean check) {
    return new AttentionPolicy(low, high, check);
  }

  /** The lower edge of the low-confidence band. */
  public double low() {
    return low;
  }

  /** The upper edge of the low-confidence band. */
  public double high() {
    return high;
  }

  /**
   * An input outside the training range.
   *
   * @param feature the feature name
   * @param value the input value
   * @param trainingMin smallest training value, or null when the spec records none
   * @param trainingMax largest training value, or null when the spec records none
   */
  public record OutOfRange(String feature, float value, Double trainingMin, Double trainingMax)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The reason sentence, e.g. {@code fare = 10000.0 is outside the training range [3.25, 80.5]}.
     */
    public String reason() {
      return feature
          + " = "
          + value
          + " is outside the training range ["
          + (trainingMin == null ? "-inf" : trainingMin)
          + ", "
          + (trainingMax == null ? "+inf" : trainingMax)
          + "]";
    }
  }

  /**
   * The verdict on one prediction.
   *
   * @param reasons why it needs attention, one sentence each; empty when it needs none
   * @param outOfRange the inputs outside the training range, in vector order
   */
  public record Attention(List<String> reasons, List<OutOfRange> outOfRange)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Attention {
      reasons = List.copyOf(reasons);
      outOfRange = List.copyOf(outOfRange);
    }

    /** Whether the prediction needs attention. */
    public boolean needed() {
      return !reasons.isEmpty();
    }
  }

  /**
   * Judges a prediction of {@code probability} from the input vector {@code features} laid out by
   * {@code spec}. With a null {@code spec}, or a vector whose length differs from it, only the
   * confidence is judged (the ranges cannot be read).
   */
  public Attention assess(double probability, float[] features, FeatureSpec spec) {
    List<String> reasons = new ArrayList<>();
    List<OutOfRange> outOfRange = new ArrayList<>();
    if (low <= probability && probability <= high) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "low confidence: probability %.4f is within [%s, %s]",
              probability,
              low,
              high));
    }
    if (rangeCheck && spec != null && features != null && features.length == spec.length()) {
      for (FeatureSpec.Feature f : spec.features()) {
        float v = features[f.index()];
        if (!Float.isNaN(v) && outside(v, f.trainingMin(), f.trainingMax())) {
          OutOfRange o = new OutOfRange(f.name(), v, f.trainingMin(), f.trainingMax());
          outOfRange.add(o);
          reasons.add(o.reason());
        }
      }
    }
    return new Attention(reasons, outOfRange);
  }

  /** The reasons alone (empty: no attention needed). */
  public List<String> reasons(double probability, float[] features, FeatureSpec spec) {
    return assess(probability, features, spec).reasons();
  }

  private static boolean outside(float v, Double min, Double max) {
    return (min != null && v < min.floatValue()) || (max != null && v > max.floatValue());
  }

  @Override
  public String toString() {
    return "confidence band [" + low + ", " + high + "], range check " + rangeCheck;
  }
}
