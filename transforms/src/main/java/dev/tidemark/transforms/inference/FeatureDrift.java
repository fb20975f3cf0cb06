package dev.tidemark.transforms.inference;

import dev.tidemark.core.features.FeatureReference;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Input drift of one numeric feature in one window against its training reference ({@link
 * FeatureReference}): the Population Stability Index over the reference's deciles, and the
 * two-sample Kolmogorov–Smirnov statistic and p-value (Apache Commons Math).
 *
 * <p>PSI: the bins are the ten deciles of the reference sample (edges {@code sample[k * n / 10]}, k
 * = 1..9; a bin is {@code [lower, upper)}, the first open below, the last open above); {@code PSI =
 * Σ (actual − expected) · ln(actual / expected)} over the bins, with shares below {@link
 * #MIN_SHARE} raised to it so that an empty bin counts as a large shift, not infinity. Rule of
 * thumb: < 0.1 stable, 0.1–0.2 moderate, > 0.2 significant (the usual alert threshold).
 *
 * @param feature the feature name
 * @param index its vector slot
 * @param values present (non-NaN) values seen in the window
 * @param psi the Population Stability Index
 * @param psiAlert whether {@code psi} exceeds the threshold
 * @param ksStatistic the two-sample Kolmogorov–Smirnov statistic D (NaN with fewer than 2 values)
 * @param ksPValue its p-value (NaN with fewer than 2 values)
 */
public record FeatureDrift(
    String feature,
    int index,
    long values,
    double psi,
    boolean psiAlert,
    double ksStatistic,
    double ksPValue)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The smallest bin share PSI uses (an empty bin would make it infinite). */
  public static final double MIN_SHARE = 1e-4;

  /** Number of PSI bins. */
  public static final int BINS = 10;

  /** Seed of the jitter Commons Math applies to ties in small exact KS tests (determinism). */
  private static final int KS_SEED = 20261127;

  /**
   * The drift of {@code window} (present values of the feature in one window) against {@code
   * reference}.
   */
  public static FeatureDrift of(
      FeatureReference.Reference reference, double[] window, double psiThreshold) {
    double psi = psi(reference.sample(), window);
    double d = Double.NaN;
    double p = Double.NaN;
    if (window.length >= 2 && reference.sample().length >= 2) {
      KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest(new Well19937c(KS_SEED));
      d = ks.kolmogorovSmirnovStatistic(reference.sample(), window);
      // Not strict: P(D >= d), the usual convention (R ks.test, SciPy ks_2samp).
      p = ks.kolmogorovSmirnovTest(reference.sample(), window, false);
    }
    return new FeatureDrift(
        reference.name(), reference.index(), window.length, psi, psi > psiThreshold, d, p);
  }

  /** The PSI of {@code actual} against the deciles of {@code expected} (NaN if either is empty). */
  public static double psi(double[] expected, double[] actual) {
    if (expected.length == 0 || actual.length == 0) {
      return Double.NaN;
    }
    double[] sorted = expected.clone();
    Arrays.sort(sorted);
    double[] edges = new double[BINS - 1];
    for (int k = 1; k < BINS; k++) {
      edges[k - 1] = sorted[k * sorted.length / BINS];
    }
    double[] e = shares(expected, edges);
    double[] a = shares(actual, edges);
    double psi = 0;
    for (int b = 0; b < BINS; b++) {
      double eb = Math.max(e[b], MIN_SHARE);
      double ab = Math.max(a[b], MIN_SHARE);
      psi += (ab - eb) * Math.log(ab / eb);
    }
    return psi;
  }

  private static double[] shares(double[] values, double[] edges) {
    double[] counts = new double[BINS];
    for (double v : values) {
      int b = 0;
      while (b < edges.length && v >= edges[b]) {
        b++;
      }
      counts[b]++;
    }
    for (int b = 0; b < BINS; b++) {
      counts[b] /= values.length;
    }
    return counts;
  }
}
