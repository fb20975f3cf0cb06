package dev.tidemark.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.FeatureSpec.Feature;
import dev.tidemark.core.features.FeatureSpec.Kind;
import java.util.List;
import org.junit.Test;

/**
 * Which predictions need attention: probabilities in the confidence band (edges included) and
 * inputs outside the training range of the version's feature spec, one reason each.
 */
public class AttentionPolicyTest {

  /** fare trained on [3.05, 112.65], trip_miles without a recorded range, a missing indicator. */
  private static final FeatureSpec SPEC =
      FeatureSpec.of(
          "tips > 0.2 * fare",
          List.of(
              new Feature(0, "fare", Kind.NUMERIC, "fare", null, null, 3.05, 112.65),
              new Feature(1, "trip_miles", Kind.NUMERIC, "trip_miles", null, null, null, null),
              new Feature(
                  2,
                  "trip_miles_missing",
                  Kind.MISSING_INDICATOR,
                  "trip_miles",
                  null,
                  null,
                  null,
                  null)));

  private static final AttentionPolicy DEFAULTS = AttentionPolicy.defaults();

  /** Both edges of the default band [0.4, 0.6] are low confidence; just outside them is not. */
  @Test
  public void theConfidenceBandIncludesItsEdges() {
    float[] inRange = {10f, 1f, 0f};
    assertThat(
        DEFAULTS.reasons(0.4, inRange, SPEC),
        contains("low confidence: probability 0.4000 is within [0.4, 0.6]"));
    assertThat(
        DEFAULTS.reasons(0.6, inRange, SPEC),
        contains("low confidence: probability 0.6000 is within [0.4, 0.6]"));
    assertThat(DEFAULTS.reasons(0.3999, inRange, SPEC), empty());
    assertThat(DEFAULTS.reasons(0.6001, inRange, SPEC), empty());
  }

  /** A configured band replaces the default one. */
  @Test
  public void theBandIsConfigurable() {
    AttentionPolicy narrow = DEFAULTS.withConfidenceBand(0.45, 0.55);
    float[] inRange = {10f, 1f, 0f};
    assertThat(narrow.reasons(0.42, inRange, SPEC), empty());
    assertThat(
        narrow.reasons(0.5, inRange, SPEC),
        contains("low confidence: probability 0.5000 is within [0.45, 0.55]"));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withConfidenceBand(0.7, 0.3));
  }

  /**
   * A fare of 10,000 is named with its value and range; the training maximum itself (112.65, held
   * as the float 112.65000153) is not out of range; a missing value (NaN) never is.
   */
  @Test
  public void inputsOutsideTheTrainingRangeAreNamed() {
    AttentionPolicy.Attention a = DEFAULTS.assess(0.95, new float[] {10_000f, 1f, 0f}, SPEC);
    assertThat(
        a.reasons(), contains("fare = 10000.0 is outside the training range [3.05, 112.65]"));
    assertThat(
        a.outOfRange(), contains(new AttentionPolicy.OutOfRange("fare", 10_000f, 3.05, 112.65)));
    assertThat(DEFAULTS.reasons(0.95, new float[] {112.65f, 1f, 0f}, SPEC), empty());
    assertThat(DEFAULTS.reasons(0.95, new float[] {3.05f, 1f, 0f}, SPEC), empty());
    assertThat(DEFAULTS.reasons(0.95, new float[] {Float.NaN, 1f, 1f}, SPEC), empty());
    assertThat(DEFAULTS.reasons(0.95, new float[] {3.0f, 1f, 0f}, SPEC).size(), equalTo(1));
  }

  /** Low confidence and an out-of-range input give two reasons, the confidence first. */
  @Test
  public void bothKindsOfReasonAreReportedTogether() {
    assertThat(
        DEFAULTS.reasons(0.5, new float[] {1f, 1f, 0f}, SPEC),
        contains(
            "low confidence: probability 0.5000 is within [0.4, 0.6]",
            "fare = 1.0 is outside the training range [3.05, 112.65]"));
  }

  /**
   * Without a spec (the version cannot be loaded), or with the range check off, only the confidence
   * counts.
   */
  @Test
  public void withoutASpecOnlyTheConfidenceIsJudged() {
    float[] farOut = {10_000f, 1f, 0f};
    assertThat(DEFAULTS.reasons(0.95, farOut, null), empty());
    assertThat(DEFAULTS.withRangeCheck(false).reasons(0.95, farOut, SPEC), empty());
  }
}
