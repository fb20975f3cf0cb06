package dev.tidemark.runners.lambda;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;
import org.junit.Test;

/** Specification of the serving layer's merge of the batch and speed views. */
public class ServingViewTest {

  /** The batch layer has closed every hour before 2013-03-08. */
  private static final Instant BATCH_UNTIL = Instant.parse("2013-03-08T00:00:00Z");

  /**
   * Closed hours come from the batch view, even where the speed view differs (it dropped a late
   * trip) or lacks the key; open hours come from the speed view.
   */
  @Test
  public void batchWinsForClosedHoursAndSpeedFillsOpenOnes() {
    Map<String, String> batch =
        Map.of(
            "8|2013-03-07T19:00:00Z", "8,2013-03-07T19:00:00Z,3,24.50",
            "32|2013-03-07T22:00:00Z", "32,2013-03-07T22:00:00Z,1,6.00");
    Map<String, String> speed =
        Map.of(
            "8|2013-03-07T19:00:00Z", "8,2013-03-07T19:00:00Z,2,17.25",
            "8|2013-03-08T09:00:00Z", "8,2013-03-08T09:00:00Z,1,8.00");
    ServingView.Merged m = ServingView.reconcile(batch, speed, BATCH_UNTIL);
    assertThat(
        m.view(),
        equalTo(
            Map.of(
                "8|2013-03-07T19:00:00Z", "8,2013-03-07T19:00:00Z,3,24.50",
                "32|2013-03-07T22:00:00Z", "32,2013-03-07T22:00:00Z,1,6.00",
                "8|2013-03-08T09:00:00Z", "8,2013-03-08T09:00:00Z,1,8.00")));
    assertThat(m.fromBatch(), equalTo(2L));
    assertThat(m.fromSpeed(), equalTo(1L));
    assertThat(m.speedOverridden(), equalTo(1L));
  }
}
