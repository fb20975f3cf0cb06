package dev.tidemark.core.features;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.features.FeatureSpec.Feature;
import dev.tidemark.core.features.FeatureSpec.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/** The training reference saved as {@code reference.json}: sample, NUMERIC slots only, JSON. */
public class FeatureReferenceTest {

  private static final FeatureSpec SPEC =
      FeatureSpec.of(
          TaxiFeatures.LABEL,
          List.of(
              new Feature(0, "fare", Kind.NUMERIC, "fare", null, null, 1.0, 1000.0),
              new Feature(
                  1,
                  "trip_miles_missing",
                  Kind.MISSING_INDICATOR,
                  "trip_miles",
                  null,
                  null,
                  null,
                  null)));

  /** Fewer rows than the sample size: every present value, sorted; NaN counted as missing. */
  @Test
  public void smallSplitsKeepEveryPresentValue() {
    List<float[]> rows =
        List.of(new float[] {3f, 0f}, new float[] {Float.NaN, 1f}, new float[] {1f, 0f});
    FeatureReference ref = FeatureReference.ofSlots(rows, 2).numericOnly(SPEC);
    assertThat(ref.features().size(), equalTo(1));
    FeatureReference.Reference fare = ref.features().get(0);
    assertThat(fare.name(), equalTo("fare"));
    assertThat(fare.present(), equalTo(2L));
    assertThat(fare.missing(), equalTo(1L));
    assertThat(Arrays.toString(fare.sample()), equalTo("[1.0, 3.0]"));
  }

  /** 1000 rows 1..1000: the 200 order statistics at ranks (k + 0.5) * 5, i.e. 3, 8, …, 998. */
  @Test
  public void largeSplitsKeepEvenlySpacedOrderStatistics() {
    List<float[]> rows = new ArrayList<>();
    for (int v = 1000; v >= 1; v--) {
      rows.add(new float[] {v, 0f});
    }
    double[] sample =
        FeatureReference.ofSlots(rows, 2).numericOnly(SPEC).features().get(0).sample();
    assertThat(sample.length, equalTo(200));
    assertThat(sample[0], equalTo(3.0));
    assertThat(sample[1], equalTo(8.0));
    assertThat(sample[199], equalTo(998.0));
  }

  /** The JSON form reads back to an equal reference, and unknown fields are ignored. */
  @Test
  public void jsonRoundTrip() {
    FeatureReference ref =
        FeatureReference.ofSlots(List.of(new float[] {2.5f, 0f}), 2).numericOnly(SPEC);
    assertThat(FeatureReference.fromJson(ref.toJson()), equalTo(ref));
    assertThat(
        FeatureReference.fromJson(
                "{\"format\":\"tidemark.feature-reference/v1\",\"split\":\"train\",\"rows\":1,"
                    + "\"future\":true,\"features\":[]}")
            .rows(),
        equalTo(1L));
  }
}
