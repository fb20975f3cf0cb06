package dev.tidemark.transforms.inference.graph;

import static dev.tidemark.transforms.inference.graph.Trips.trip;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreOutcome;
import org.junit.Test;

/**
 * The GJSON subset of step conditions: the query forms KServe users write, evaluated like GJSON on
 * the trip as TaxiTripJson writes it, and every other form refused at parse time with the reason.
 */
public class ConditionTest {

  private static final TaxiTrip CASH_12 = trip(12.0, 11.5, "Cash", Trips.TEN_AM);
  private static final TaxiTrip CARD_30 = trip(30.0, 2.0, "Credit Card", Trips.TEN_AM);
  private static final TaxiTrip UNKNOWN_PAYMENT = trip(8.0, 1.0, null, Trips.TEN_AM);

  private static boolean matches(String condition, TaxiTrip trip) {
    return Condition.parse(condition, RequestDocument.FIELDS)
        .matches(new RequestDocument(trip).view(null));
  }

  private static boolean matches(String condition, TaxiTrip trip, double probability) {
    return Condition.parse(condition, RequestDocument.FIELDS)
        .matches(
            new RequestDocument(trip)
                .view(new ScoreOutcome.Scored(probability, "taxi-tips", "v1", new float[0])));
  }

  private static String refusal(String condition) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> Condition.parse(condition, RequestDocument.FIELDS))
        .getMessage();
  }

  /** Numbers compare numerically with each operator. */
  @Test
  public void numericComparisons() {
    assertThat(matches("[@this].#(trip_miles>10)", CASH_12), is(true));
    assertThat(matches("[@this].#(trip_miles>10)", CARD_30), is(false));
    assertThat(matches("[@this].#(fare>=12)", CASH_12), is(true));
    assertThat(matches("[@this].#(fare<12)", CASH_12), is(false));
    assertThat(matches("[@this].#(fare<=12.0)", CASH_12), is(true));
    assertThat(matches("[@this].#(fare==30)", CARD_30), is(true));
    assertThat(matches("[@this].#(fare=30)", CARD_30), is(true));
    assertThat(matches("[@this].#(fare!=30)", CARD_30), is(false));
    assertThat(matches("[@this].#( fare > 2.5e1 )", CARD_30), is(true));
  }

  /** Strings compare as text, and % / !% match GJSON's * and ? patterns. */
  @Test
  public void stringComparisonsAndLikePatterns() {
    assertThat(matches("[@this].#(payment_type==\"Cash\")", CASH_12), is(true));
    assertThat(matches("[@this].#(payment_type==\"Cash\")", CARD_30), is(false));
    assertThat(matches("[@this].#(payment_type!=\"Cash\")", CARD_30), is(true));
    assertThat(matches("[@this].#(payment_type%\"Cred*\")", CARD_30), is(true));
    assertThat(matches("[@this].#(payment_type%\"C?sh\")", CASH_12), is(true));
    assertThat(matches("[@this].#(payment_type!%\"C*\")", CASH_12), is(false));
    assertThat(matches("[@this].#(company<\"G\")", CASH_12), is(true));
  }

  /** As in GJSON, a missing (null) value matches no comparison, not even !=. */
  @Test
  public void nullValuesMatchNothing() {
    assertThat(matches("[@this].#(payment_type==\"Cash\")", UNKNOWN_PAYMENT), is(false));
    assertThat(matches("[@this].#(payment_type!=\"Cash\")", UNKNOWN_PAYMENT), is(false));
    assertThat(matches("[@this].#(probability<0.5)", CASH_12), is(false));
  }

  /** Queries piped through their all-matches arrays AND together; the response is visible. */
  @Test
  public void pipedQueriesAreAnAndOverTheTripAndThePreviousResponse() {
    String unsure = "[@this].#(probability>=0.4)#|#(probability<0.6)";
    assertThat(matches(unsure, CASH_12, 0.45), is(true));
    assertThat(matches(unsure, CASH_12, 0.6), is(false));
    assertThat(matches(unsure, CASH_12, 0.39), is(false));
    assertThat(
        matches("[@this].#(model==\"taxi-tips\")#|#(payment_type==\"Cash\")", CASH_12, 0.9),
        is(true));
  }

  /** Forms GJSON accepts but that never (or always) match are refused with the reason. */
  @Test
  public void formsThatCannotWorkAreRefusedWithTheReason() {
    assertThat(refusal("fare>=20"), containsString("reads 'fare>=20' as a key name"));
    assertThat(
        refusal("#(payment_type==\"Cash\")"),
        containsString("searches an array and the request is an object"));
    assertThat(refusal("[@this].#(fare>20)#"), containsString("always true"));
    assertThat(refusal("[@this].#(fare>20 && trip_miles<2)"), containsString("no && or ||"));
    assertThat(refusal("[@this].#(fare>20)|#(trip_miles<2)"), containsString(")#|#("));
    assertThat(refusal("[@this].#(tips)"), containsString("always true"));
    assertThat(refusal("[@this].#(fares>20)"), containsString("unknown field 'fares'"));
    assertThat(refusal("[@this].#(fare>\"20\")"), containsString("'fare' is a number"));
    assertThat(refusal("[@this].#(payment_type==Cash)"), containsString("expected a number"));
    assertThat(refusal("[@this].#(payment_type==20)"), containsString("is a string"));
    assertThat(refusal("[@this].#(fare%\"2*\")"), containsString("applies to strings"));
    assertThat(refusal("[@this].#(fare==null)"), containsString("'null' is not supported"));
    assertThat(refusal("[@this].#(fare==true)"), containsString("not a boolean"));
    assertThat(refusal("[@this].#(a.b==1)"), containsString("nested paths"));
    assertThat(refusal("[@this].#(fare~20)"), containsString("expected an operator"));
    assertThat(refusal("[@this].#(fare>20"), containsString("expected )"));
    assertThat(refusal(""), containsString("empty"));
  }
}
