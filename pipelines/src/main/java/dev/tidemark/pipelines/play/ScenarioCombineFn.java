package dev.tidemark.pipelines.play;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The {@code combine:} of a scenario: sum, count, min, max, mean or latest over {@link PlayValue}s.
 * The output is the result as a JSON literal ({@code 14}, {@code 4.5}, {@code "felix"}), so that
 * panes, retractions and the printed records share one exact text form; numbers are exact decimals
 * (0.1 + 0.2 is 0.3), a mean has at most 16 significant digits.
 */
public final class ScenarioCombineFn
    extends Combine.CombineFn<PlayValue, ScenarioCombineFn.Acc, String> {

  /** The combine functions a scenario can name. */
  public enum Kind {
    SUM,
    COUNT,
    MIN,
    MAX,
    MEAN,
    LATEST;

    /** Whether events may carry string values (count and latest); the others need numbers. */
    public boolean acceptsStrings() {
      return this == COUNT || this == LATEST;
    }

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  /** The running aggregate: enough for every kind. */
  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    BigDecimal sum = BigDecimal.ZERO;
    long count;
    BigDecimal min;
    BigDecimal max;
    Serializable latest;
    long latestTime = Long.MIN_VALUE;

    @Override
    public boolean equals(Object o) {
      return o instanceof Acc a
          && count == a.count
          && latestTime == a.latestTime
          && sum.compareTo(a.sum) == 0
          && java.util.Objects.equals(min, a.min)
          && java.util.Objects.equals(max, a.max)
          && java.util.Objects.equals(latest, a.latest);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(count, latestTime);
    }
  }

  private final Kind kind;

  public ScenarioCombineFn(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, PlayValue input) {
    acc.count++;
    if (input.value() instanceof BigDecimal n) {
      acc.sum = acc.sum.add(n);
      acc.min = acc.min == null || n.compareTo(acc.min) < 0 ? n : acc.min;
      acc.max = acc.max == null || n.compareTo(acc.max) > 0 ? n : acc.max;
    }
    // Latest by event time; among equal event times the one added last wins.
    if (input.eventTimeMillis() >= acc.latestTime) {
      acc.latest = input.value();
      acc.latestTime = input.eventTimeMillis();
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accumulators) {
    Acc out = new Acc();
    for (Acc a : accumulators) {
      out.count += a.count;
      out.sum = out.sum.add(a.sum);
      if (a.min != null) {
        out.min = out.min == null || a.min.compareTo(out.min) < 0 ? a.min : out.min;
      }
      if (a.max != null) {
        out.max = out.max == null || a.max.compareTo(out.max) > 0 ? a.max : out.max;
      }
      if (a.latest != null && a.latestTime >= out.latestTime) {
        out.latest = a.latest;
        out.latestTime = a.latestTime;
      }
    }
    return out;
  }

  @Override
  public String extractOutput(Acc acc) {
    Serializable result =
        switch (kind) {
          case SUM -> acc.sum;
          case COUNT -> BigDecimal.valueOf(acc.count);
          case MIN -> acc.min;
          case MAX -> acc.max;
          case MEAN ->
              acc.count == 0
                  ? null
                  : acc.sum.divide(BigDecimal.valueOf(acc.count), MathContext.DECIMAL64);
          case LATEST -> acc.latest;
        };
    return PlayFormats.jsonValue(result);
  }

  @Override
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<PlayValue> inputCoder) {
    return SerializableCoder.of(Acc.class);
  }

  @Override
  public Coder<String> getDefaultOutputCoder(CoderRegistry registry, Coder<PlayValue> inputCoder) {
    return StringUtf8Coder.of();
  }
}
