package dev.tidemark.transforms.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Property: on thousands of random session logs, delivered in shuffled order but never behind the
 * watermark, the actions of {@link DetectRetentionActions} equal those of a brute-force reference
 * that applies the rule's wording literally to event timestamps.
 */
public class RetentionPropertyTest {

  /**
   * DirectRunner without its per-element immutability and encodability checks (they re-encode every
   * element several times; the other tests keep them on).
   */
  @Rule
  public final transient TestPipeline p =
      TestPipeline.fromOptions(
          PipelineOptionsFactory.fromArgs(
                  "--runner=DirectRunner",
                  "--enforceImmutability=false",
                  "--enforceEncodability=false")
              .create());

  private static final int CUSTOMERS = 2_000;
  private static final Duration WITHIN = Duration.standardMinutes(30);
  private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");
  private static final CustomerEvent.Type[] TYPES = CustomerEvent.Type.values();

  /**
   * The reference: for each drop d, (1) some login l with l <= d and no logout o with l <= o <= d,
   * and (2) no checkout k with d <= k <= d + within (times compared, nothing else).
   */
  static List<String> referenceActions(List<CustomerEvent> events, Duration within) {
    List<String> out = new ArrayList<>();
    for (CustomerEvent d : events) {
      if (d.type() != CustomerEvent.Type.CART_DROPPED) {
        continue;
      }
      boolean loggedIn = false;
      for (CustomerEvent l : events) {
        if (l.customer().equals(d.customer())
            && l.type() == CustomerEvent.Type.LOGIN
            && !l.time().isAfter(d.time())) {
          boolean loggedOut = false;
          for (CustomerEvent o : events) {
            loggedOut |=
                o.customer().equals(d.customer())
                    && o.type() == CustomerEvent.Type.LOGOUT
                    && !o.time().isBefore(l.time())
                    && !o.time().isAfter(d.time());
          }
          loggedIn |= !loggedOut;
        }
      }
      boolean checkedOut = false;
      for (CustomerEvent k : events) {
        checkedOut |=
            k.customer().equals(d.customer())
                && k.type() == CustomerEvent.Type.CHECKOUT
                && !k.time().isBefore(d.time())
                && !k.time().isAfter(d.time().plus(within));
      }
      if (loggedIn && !checkedOut) {
        out.add(new RetentionAction(d.customer(), d.time(), d.cartValue()).toJson());
      }
    }
    return out;
  }

  /** A random session: 1 to 12 events within two hours, on whole minutes so that ties abound. */
  private static List<CustomerEvent> randomSession(Random random, String customer) {
    List<CustomerEvent> events = new ArrayList<>();
    int n = 1 + random.nextInt(12);
    for (int i = 0; i < n; i++) {
      CustomerEvent.Type type = TYPES[random.nextInt(TYPES.length)];
      Instant time = START.plus(Duration.standardMinutes(random.nextInt(120)));
      Double value = random.nextInt(3) == 0 ? null : (double) random.nextInt(200) / 2;
      events.add(new CustomerEvent(customer, type, time, value));
    }
    return events;
  }

  /** Formats an action as its JSON line. */
  static final class ToJsonFn extends SimpleFunction<RetentionAction, String> {
    @Override
    public String apply(RetentionAction action) {
      return action.toJson();
    }
  }

  /** Shuffled arrival, watermark held at the earliest event still to come: matches = reference. */
  @Test
  public void matchesEqualBruteForceReferenceOnRandomShuffledSessions() {
    Random random = new Random(20260101L);
    List<CustomerEvent> all = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      all.addAll(randomSession(random, "c" + c));
    }
    List<String> expected = referenceActions(all, WITHIN);

    // Arrival order: event time plus a random delay of up to 45 minutes (out of order).
    record Arrival(CustomerEvent event, long arrivesAt) {}
    List<Arrival> arrivals = new ArrayList<>();
    for (CustomerEvent e : all) {
      arrivals.add(new Arrival(e, e.time().getMillis() + random.nextInt(45 * 60_000)));
    }
    arrivals.sort(Comparator.comparingLong(Arrival::arrivesAt));

    TestStream.Builder<CustomerEvent> stream = TestStream.create(CustomerEvent.coder());
    int batch = 2_000;
    for (int from = 0; from < arrivals.size(); from += batch) {
      int to = Math.min(arrivals.size(), from + batch);
      List<TimestampedValue<CustomerEvent>> elements = new ArrayList<>();
      for (Arrival a : arrivals.subList(from, to)) {
        elements.add(TimestampedValue.of(a.event(), a.event().time()));
      }
      stream =
          stream.addElements(
              elements.get(0),
              elements.subList(1, elements.size()).toArray(TimestampedValue[]::new));
      // The watermark may move up to the earliest event time still to arrive: nothing is late.
      long earliestToCome = Long.MAX_VALUE;
      for (Arrival a : arrivals.subList(to, arrivals.size())) {
        earliestToCome = Math.min(earliestToCome, a.event().time().getMillis());
      }
      if (earliestToCome != Long.MAX_VALUE) {
        stream = stream.advanceWatermarkTo(new Instant(earliestToCome));
      }
    }
    PCollectionTuple out =
        p.apply("Events", stream.advanceWatermarkToInfinity())
            .apply("DetectRetentionActions", DetectRetentionActions.within(WITHIN));
    PAssert.that(
            out.get(DetectRetentionActions.ACTIONS)
                .apply("ToJson", MapElements.via(new ToJsonFn())))
        .containsInAnyOrder(expected);
    PAssert.that(out.get(DetectRetentionActions.LATE_EVENTS)).empty();
    p.run();
    // Guard against a vacuous property: the random logs do produce actions and non-actions.
    org.junit.Assert.assertTrue(
        "some actions expected, got " + expected.size(), expected.size() > 500);
  }
}
