package dev.tidemark.core.training;

import java.io.Serializable;

/**
 * Quality of the tip-amount regression on one split, against the predict-the-mean baseline.
 *
 * @param rows number of scored rows
 * @param rmse root mean squared error of the model, in dollars
 * @param baselineMean the constant the baseline predicts: the mean tip of the training split
 * @param baselineRmse root mean squared error of the baseline, in dollars
 */
public record RegressionMetrics(long rows, double rmse, double baselineMean, double baselineRmse)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Computes the metrics of {@code predicted} against {@code actual}. */
  public static RegressionMetrics of(float[] actual, float[] predicted, double baselineMean) {
    double se = 0;
    double baseSe = 0;
    for (int i = 0; i < actual.length; i++) {
      se += Math.pow(actual[i] - predicted[i], 2);
      baseSe += Math.pow(actual[i] - baselineMean, 2);
    }
    int n = actual.length;
    return new RegressionMetrics(
        n,
        n == 0 ? Double.NaN : Math.sqrt(se / n),
        baselineMean,
        n == 0 ? Double.NaN : Math.sqrt(baseSe / n));
  }
}
