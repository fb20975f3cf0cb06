package dev.tidemark.core.training;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

/** ROC AUC, accuracy, log loss and calibration on hand-checked examples. */
public class ClassifierMetricsTest {

  /** The textbook four-row example: AUC 0.75, accuracy 0.75 at 0.5. */
  @Test
  public void fourRowExample() {
    ClassifierMetrics m =
        ClassifierMetrics.of(new float[] {0, 0, 1, 1}, new float[] {0.1f, 0.4f, 0.35f, 0.8f}, 0.5);
    assertEquals(0.75, m.rocAuc(), 1e-12);
    assertEquals(0.75, m.accuracy(), 1e-12);
    assertEquals(0.472288, m.logLoss(), 1e-6); // -(ln .9 + ln .6 + ln .35 + ln .8) / 4
    assertEquals(4, m.rows());
    assertEquals(2, m.positives());
    ClassifierMetrics.CalibrationBin third = m.calibration().get(3); // [0.3, 0.4): 0.35
    assertEquals(1, third.rows());
    assertEquals(1.0, third.observedRate(), 0);
    assertNull(m.calibration().get(5).meanPredicted()); // nothing in [0.5, 0.6)
  }

  /** Tied scores count one half. */
  @Test
  public void tiesCountHalf() {
    assertEquals(0.5, ClassifierMetrics.rocAuc(new float[] {0, 1}, new float[] {0.5f, 0.5f}), 0);
  }

  /** The regression baseline predicts the training mean. */
  @Test
  public void regressionAgainstTheMean() {
    RegressionMetrics r = RegressionMetrics.of(new float[] {1, 3}, new float[] {1, 2}, 2.0);
    assertEquals(Math.sqrt(0.5), r.rmse(), 1e-12);
    assertEquals(1.0, r.baselineRmse(), 1e-12);
  }
}
