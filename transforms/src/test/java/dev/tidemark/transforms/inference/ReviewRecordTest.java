package dev.tidemark.transforms.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.model.Explanation;
import java.util.List;
import org.junit.Test;

/** The review record as the review topic carries it. */
public class ReviewRecordTest {

  /** A review record as one line of JSON: reasons, inputs out of range, top contributions. */
  @Test
  public void aReviewRecordIsOneLineOfJson() {
    Explanation e =
        new Explanation(
            -1.5,
            -2.0,
            0.11920292202211755,
            List.of(
                new Explanation.Contribution("fare", 10_000, -0.75),
                new Explanation.Contribution("trip_miles", Double.NaN, 0.5),
                new Explanation.Contribution("trip_miles_missing", 1, -0.25)));
    ReviewRecord r =
        new ReviewRecord(
            "174ec0786715835d",
            1425722400000L,
            0.11920292202211755,
            "taxi-tips",
            "20261127T090000Z",
            List.of("fare = 10000.0 is outside the training range [3.05, 112.65]"),
            List.of(new AttentionPolicy.OutOfRange("fare", 10_000f, 3.05, 112.65)),
            e,
            null);
    assertThat(
        r.toJson(),
        equalTo(
            "{\"tripId\":\"174ec0786715835d\",\"eventTime\":\"2015-03-07T10:00:00Z\","
                + "\"probability\":0.11920292202211755,\"model\":\"taxi-tips\","
                + "\"version\":\"20261127T090000Z\","
                + "\"reasons\":[\"fare = 10000.0 is outside the training range [3.05, 112.65]\"],"
                + "\"inputsOutOfRange\":[{\"feature\":\"fare\",\"value\":10000.0,"
                + "\"trainingMin\":3.05,\"trainingMax\":112.65}],"
                + "\"explanation\":{\"bias\":-1.5,\"margin\":-2.0,"
                + "\"probability\":0.11920292202211755,"
                + "\"top\":[{\"feature\":\"fare\",\"value\":10000.0,\"contribution\":-0.75},"
                + "{\"feature\":\"trip_miles\",\"value\":null,\"contribution\":0.5},"
                + "{\"feature\":\"trip_miles_missing\",\"value\":1.0,\"contribution\":-0.25}],"
                + "\"contributions\":{\"fare\":-0.75,\"trip_miles\":0.5,"
                + "\"trip_miles_missing\":-0.25}},"
                + "\"explanationError\":null}"));
  }
}
