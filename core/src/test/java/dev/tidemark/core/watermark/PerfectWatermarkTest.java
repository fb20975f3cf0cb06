package dev.tidemark.core.watermark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Specification of {@link PerfectWatermark}, plain Java: the watermark is exactly the completeness
 * point the source reports, whatever the data or processing time do.
 */
@RunWith(JUnit4.class)
public class PerfectWatermarkTest {

  private static Instant at(String hhmm) {
    return Instant.parse("2026-11-27T" + hhmm + ":00Z");
  }

  /** The watermark follows the reported completeness points one for one. */
  @Test
  public void watermarkIsExactlyTheReportedCompletenessPoint() {
    PerfectWatermark perfect = PerfectWatermark.create();
    List<Instant> watermarks = new ArrayList<>();

    watermarks.add(perfect.currentWatermark(at("15:00")));
    perfect.reportEarliestUnread(at("12:02"));
    watermarks.add(perfect.currentWatermark(at("15:00")));
    perfect.reportEarliestUnread(at("12:04"));
    watermarks.add(perfect.currentWatermark(at("15:01")));
    perfect.reportEarliestUnread(WatermarkPolicy.COMPLETE);
    watermarks.add(perfect.currentWatermark(at("15:02")));

    assertThat(
        watermarks,
        contains(WatermarkPolicy.NO_WATERMARK, at("12:02"), at("12:04"), WatermarkPolicy.COMPLETE));
  }

  /** Elements seen do not move a perfect watermark: only knowledge of completeness does. */
  @Test
  public void observedElementsDoNotMoveIt() {
    PerfectWatermark perfect = PerfectWatermark.completeUpTo(at("12:02"));
    perfect.observe(at("12:30"), at("15:00"));

    assertThat(perfect.currentWatermark(at("15:00")), is(at("12:02")));
  }

  /** Processing time passing does not move it either: there is no idle guess. */
  @Test
  public void processingTimeDoesNotMoveIt() {
    PerfectWatermark perfect = PerfectWatermark.completeUpTo(at("12:02"));

    assertThat(perfect.currentWatermark(at("23:59")), is(at("12:02")));
  }

  /** An earlier completeness point than already known is ignored: the watermark is monotonic. */
  @Test
  public void earlierCompletenessPointIsIgnored() {
    PerfectWatermark perfect = PerfectWatermark.completeUpTo(at("12:04"));
    perfect.reportEarliestUnread(at("12:02"));

    assertThat(perfect.currentWatermark(at("15:00")), is(at("12:04")));
  }
}
