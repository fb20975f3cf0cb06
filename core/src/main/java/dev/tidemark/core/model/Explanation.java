package dev.tidemark.core.model;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * The TreeSHAP explanation of one prediction, in the model's margin (log-odds) space: one
 * contribution per input feature and a bias (the expected margin over the training data), which add
 * up to the margin; the probability is {@code sigmoid(margin)}. Computed by {@link
 * ModelVersion#explain} (XGBoost {@code predictContrib}, exact TreeSHAP), the same numbers as the
 * model server's {@code :explain}.
 *
 * @param bias the expected margin (the last column of XGBoost's contributions)
 * @param margin {@code bias} + the sum of the contributions
 * @param probability {@code 1 / (1 + exp(-margin))}
 * @param contributions one per feature, in vector order
 */
public record Explanation(
    double bias, double margin, double probability, List<Contribution> contributions)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public Explanation {
    contributions = List.copyOf(contributions);
  }

  /**
   * What one feature added to the margin.
   *
   * @param feature the feature name (from the version's feature spec)
   * @param value the input value (NaN when missing)
   * @param contribution its SHAP value, in margin units (positive: towards a tip above 20%)
   */
  public record Contribution(String feature, double value, double contribution)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The {@code n} contributions of largest magnitude, largest first (ties in vector order): what
   * moved this prediction most.
   */
  public List<Contribution> top(int n) {
    return contributions.stream()
        .sorted(
            Comparator.comparingDouble((Contribution c) -> Math.abs(c.contribution())).reversed())
        .limit(n)
        .toList();
  }
}
