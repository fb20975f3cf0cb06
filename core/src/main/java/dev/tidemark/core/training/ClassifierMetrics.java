package dev.tidemark.core.training;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Quality of a binary classifier on one split: ROC AUC, accuracy at a threshold, log loss and a
 * calibration table of ten equal-width probability bins.
 *
 * @param rows number of scored rows
 * @param positives rows with label 1
 * @param rocAuc area under the ROC curve (ties count one half)
 * @param threshold probability at or above which a row is predicted positive
 * @param accuracy share of rows predicted correctly at {@code threshold}
 * @param logLoss mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]
 * @param calibration one entry per probability bin
 */
public record ClassifierMetrics(
    long rows,
    long positives,
    double rocAuc,
    double threshold,
    double accuracy,
    double logLoss,
    List<CalibrationBin> calibration)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One bin of the calibration table.
   *
   * @param lower lower bound of predicted probability (inclusive)
   * @param upper upper bound (exclusive, except 1.0)
   * @param rows rows whose prediction falls in the bin
   * @param meanPredicted mean predicted probability in the bin (null when empty)
   * @param observedRate share of positives in the bin (null when empty)
   */
  public record CalibrationBin(
      double lower, double upper, long rows, Double meanPredicted, Double observedRate)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static final int BINS = 10;
  private static final double EPS = 1e-15;

  /** Computes the metrics of predicted probabilities {@code p} against 0/1 {@code labels}. */
  public static ClassifierMetrics of(float[] labels, float[] p, double threshold) {
    int n = labels.length;
    if (p.length != n) {
      throw new IllegalArgumentException("labels and predictions differ in length");
    }
    long positives = 0;
    long correct = 0;
    double logLoss = 0;
    long[] binRows = new long[BINS];
    double[] binPredicted = new double[BINS];
    long[] binPositives = new long[BINS];
    for (int i = 0; i < n; i++) {
      boolean positive = labels[i] > 0.5f;
      positives += positive ? 1 : 0;
      correct += (p[i] >= threshold) == positive ? 1 : 0;
      double q = Math.min(Math.max(p[i], EPS), 1 - EPS);
      logLoss -= positive ? Math.log(q) : Math.log(1 - q);
      int b = Math.min((int) (p[i] * BINS), BINS - 1);
      binRows[b]++;
      binPredicted[b] += p[i];
      binPositives[b] += positive ? 1 : 0;
    }
    List<CalibrationBin> table = new ArrayList<>();
    for (int b = 0; b < BINS; b++) {
      table.add(
          new CalibrationBin(
              b / (double) BINS,
              (b + 1) / (double) BINS,
              binRows[b],
              binRows[b] == 0 ? null : binPredicted[b] / binRows[b],
              binRows[b] == 0 ? null : binPositives[b] / (double) binRows[b]));
    }
    return new ClassifierMetrics(
        n,
        positives,
        rocAuc(labels, p),
        threshold,
        n == 0 ? Double.NaN : correct / (double) n,
        n == 0 ? Double.NaN : logLoss / n,
        table);
  }

  /** ROC AUC by the rank-sum (Mann-Whitney) formula, averaging ranks over ties. */
  static double rocAuc(float[] labels, float[] p) {
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(p[a], p[b]));
    double rankSumPositives = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && p[order[j + 1]] == p[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] > 0.5f) {
          rankSumPositives += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositives - positives * (positives + 1) / 2.0)
        / (positives * (double) negatives);
  }
}
