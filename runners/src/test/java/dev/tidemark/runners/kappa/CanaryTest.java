package dev.tidemark.runners.kappa;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import org.junit.Test;

/** Specification of the canary comparison of two versions' outputs. */
public class CanaryTest {

  /** Equal values match; changed values differ; missing keys are reported on their side. */
  @Test
  public void reportsMatchesDifferencesAndKeysOnlyInOne() {
    Map<String, String> v1 =
        Map.of(
            "8|2013-03-07T19:00:00Z", "8,2013-03-07T19:00:00Z,3,24.50",
            "8|2013-03-07T20:00:00Z", "8,2013-03-07T20:00:00Z,1,0.00",
            "32|2013-03-07T19:00:00Z", "32,2013-03-07T19:00:00Z,2,40.00");
    Map<String, String> v2 =
        Map.of(
            "8|2013-03-07T19:00:00Z", "8,2013-03-07T19:00:00Z,2,24.50",
            "32|2013-03-07T19:00:00Z", "32,2013-03-07T19:00:00Z,2,40.00",
            "33|2013-03-07T19:00:00Z", "33,2013-03-07T19:00:00Z,1,5.00");
    Canary.Report r = Canary.compare(v1, v2);
    assertThat(r.matches(), equalTo(1L));
    assertThat(
        r.different(),
        contains(
            new Canary.Difference(
                "8|2013-03-07T19:00:00Z",
                "8,2013-03-07T19:00:00Z,3,24.50",
                "8,2013-03-07T19:00:00Z,2,24.50")));
    assertThat(
        r.onlyInBaseline(),
        contains(
            new Canary.Difference(
                "8|2013-03-07T20:00:00Z", "8,2013-03-07T20:00:00Z,1,0.00", null)));
    assertThat(
        r.onlyInCandidate(),
        contains(
            new Canary.Difference(
                "33|2013-03-07T19:00:00Z", null, "33,2013-03-07T19:00:00Z,1,5.00")));
    assertThat(r.identical(), equalTo(false));
  }

  /** Two identical outputs are identical. */
  @Test
  public void identicalOutputsAreIdentical() {
    Map<String, String> v = Map.of("8|2013-03-07T19:00:00Z", "8,2013-03-07T19:00:00Z,3,24.50");
    assertThat(Canary.compare(v, v).identical(), equalTo(true));
  }
}
