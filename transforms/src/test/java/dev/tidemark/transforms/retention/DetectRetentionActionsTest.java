package dev.tidemark.transforms.retention;

import static dev.tidemark.transforms.retention.CustomerEvent.Type.ADD_TO_CART;
import static dev.tidemark.transforms.retention.CustomerEvent.Type.CART_DROPPED;
import static dev.tidemark.transforms.retention.CustomerEvent.Type.CHECKOUT;
import static dev.tidemark.transforms.retention.CustomerEvent.Type.LOGIN;
import static dev.tidemark.transforms.retention.CustomerEvent.Type.LOGOUT;

import dev.tidemark.transforms.late.LateElement;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The retention rule as TestStream scripts: in-order, out-of-order within the watermark, late,
 * absence at the boundary of {@code within}, several customers interleaved. Every action is
 * asserted with its timestamp: the drop's time plus {@code within} plus 1 ms, the earliest
 * watermark at which the absence of a checkout is certain.
 */
public class DetectRetentionActionsTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String ALICE = "c42";
  private static final String BOB = "c7";
  private static final String CAROL = "c99";

  /** Instant on 2026-01-01 from {@code "HH:mm"} or {@code "HH:mm:ss"} (UTC). */
  private static Instant at(String time) {
    return Instant.parse("2026-01-01T" + (time.length() == 5 ? time + ":00" : time) + "Z");
  }

  private static TimestampedValue<CustomerEvent> event(
      String customer, CustomerEvent.Type type, String time) {
    return event(customer, type, time, null);
  }

  private static TimestampedValue<CustomerEvent> event(
      String customer, CustomerEvent.Type type, String time, Double cartValue) {
    CustomerEvent e = new CustomerEvent(customer, type, at(time), cartValue);
    return TimestampedValue.of(e, e.time());
  }

  /** The action for a drop at {@code time}, stamped when its 30-minute window closed. */
  private static TimestampedValue<RetentionAction> action(
      String customer, String time, Double cartValue) {
    return TimestampedValue.of(
        new RetentionAction(customer, at(time), cartValue),
        at(time).plus(Duration.standardMinutes(30)).plus(Duration.millis(1)));
  }

  private static TestStream.Builder<CustomerEvent> stream() {
    return TestStream.create(CustomerEvent.coder());
  }

  private PCollectionTuple detect(TestStream<CustomerEvent> events) {
    return p.apply("Events", events)
        .apply(
            "DetectRetentionActions", DetectRetentionActions.within(Duration.standardMinutes(30)));
  }

  private static PCollection<TimestampedValue<RetentionAction>> stamped(PCollectionTuple out) {
    return out.get(DetectRetentionActions.ACTIONS).apply("ReifyTimestamps", Reify.timestamps());
  }

  /** A logged-in customer who drops a cart and never checks out gets one action. */
  @Test
  public void inOrderSessionYieldsOneAction() {
    TestStream<CustomerEvent> events =
        stream()
            .addElements(
                event(ALICE, LOGIN, "12:00"),
                event(ALICE, ADD_TO_CART, "12:03", 37.5),
                event(ALICE, CART_DROPPED, "12:07", 37.5))
            // The watermark passes 12:07 + 30m: the absence of a checkout is now certain.
            .advanceWatermarkTo(at("12:38"))
            .advanceWatermarkToInfinity();
    PAssert.that(stamped(detect(events))).containsInAnyOrder(action(ALICE, "12:07", 37.5));
    p.run();
  }

  /** Events arriving out of order, all ahead of the watermark, are matched in event-time order. */
  @Test
  public void outOfOrderWithinWatermarkIsMatchedInEventTimeOrder() {
    TestStream<CustomerEvent> events =
        stream()
            // Drop arrives before the login that precedes it in event time.
            .addElements(event(ALICE, CART_DROPPED, "12:07", 20.0))
            .addElements(event(ALICE, LOGIN, "12:00"))
            // Watermark at 12:05: nothing of Alice's is behind it yet.
            .advanceWatermarkTo(at("12:05"))
            // A logout at 12:06 arrives after the drop but precedes it in event time.
            .addElements(event(BOB, LOGIN, "12:10"), event(BOB, CART_DROPPED, "12:20"))
            .addElements(event(BOB, LOGOUT, "12:15"))
            .advanceWatermarkToInfinity();
    PAssert.that(stamped(detect(events))).containsInAnyOrder(action(ALICE, "12:07", 20.0));
    p.run();
  }

  /** An event behind the watermark is captured as late, not matched and not lost. */
  @Test
  public void tooLateEventIsCapturedNotMatched() {
    TestStream<CustomerEvent> events =
        stream()
            .addElements(event(ALICE, CART_DROPPED, "12:07", 37.5))
            // The watermark passes the drop: it is matched without a login (no action).
            .advanceWatermarkTo(at("12:10"))
            // Alice's login at 12:00 arrives now, 10 minutes behind the watermark: too late.
            .addElements(event(ALICE, LOGIN, "12:00"))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = detect(events);
    PAssert.that(out.get(DetectRetentionActions.ACTIONS)).empty();
    PAssert.that(
            out.get(DetectRetentionActions.LATE_EVENTS)
                .apply(
                    "DescribeLate",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (LateElement<CustomerEvent> l) ->
                                l.element().type()
                                    + " at "
                                    + l.timestamp()
                                    + ", watermark "
                                    + l.watermark())))
        .containsInAnyOrder(
            "LOGIN at 2026-01-01T12:00:00.000Z, watermark 2026-01-01T12:10:00.000Z");
    p.run();
  }

  /** A checkout exactly at drop time + within violates the absence: no action. */
  @Test
  public void checkoutExactlyAtWindowEndSuppressesAction() {
    TestStream<CustomerEvent> events =
        stream()
            .addElements(event(ALICE, LOGIN, "12:00"), event(ALICE, CART_DROPPED, "12:07", 37.5))
            .addElements(event(ALICE, CHECKOUT, "12:37", 37.5))
            .advanceWatermarkToInfinity();
    PAssert.that(detect(events).get(DetectRetentionActions.ACTIONS)).empty();
    p.run();
  }

  /** A checkout one second after drop time + within does not count: the action stands. */
  @Test
  public void checkoutJustAfterWindowEndKeepsAction() {
    TestStream<CustomerEvent> events =
        stream()
            .addElements(event(ALICE, LOGIN, "12:00"), event(ALICE, CART_DROPPED, "12:07", 37.5))
            .addElements(event(ALICE, CHECKOUT, "12:37:01", 37.5))
            .advanceWatermarkToInfinity();
    PAssert.that(stamped(detect(events))).containsInAnyOrder(action(ALICE, "12:07", 37.5));
    p.run();
  }

  /** Login and checkout at the drop's own instant: logged in, and the checkout counts. */
  @Test
  public void sameInstantLoginCountsAndSameInstantCheckoutSuppresses() {
    TestStream<CustomerEvent> events =
        stream()
            // Bob logs in at the instant he drops: logged in ("at or before").
            .addElements(event(BOB, CART_DROPPED, "12:00", 5.0), event(BOB, LOGIN, "12:00"))
            // Carol checks out at the instant she drops: inside the window ("from d's time").
            .addElements(
                event(CAROL, LOGIN, "11:00"),
                event(CAROL, CHECKOUT, "12:00"),
                event(CAROL, CART_DROPPED, "12:00", 9.0))
            // Alice logs out at the instant she drops: not logged in ("no logout in between").
            .addElements(
                event(ALICE, LOGIN, "11:00"),
                event(ALICE, LOGOUT, "12:00"),
                event(ALICE, CART_DROPPED, "12:00", 1.0))
            .advanceWatermarkToInfinity();
    PAssert.that(stamped(detect(events))).containsInAnyOrder(action(BOB, "12:00", 5.0));
    p.run();
  }

  /** Interleaved customers are matched independently; a drop without cart value yields null. */
  @Test
  public void severalCustomersInterleavedAreMatchedIndependently() {
    TestStream<CustomerEvent> events =
        stream()
            .addElements(
                event(ALICE, LOGIN, "12:00"),
                event(BOB, LOGIN, "12:01"),
                event(CAROL, CART_DROPPED, "12:02", 3.0), // never logged in
                event(ALICE, CART_DROPPED, "12:05", 10.0))
            // Watermark 12:04: Carol's drop is final; Alice's and Bob's sessions go on.
            .advanceWatermarkTo(at("12:04"))
            .addElements(
                event(BOB, CART_DROPPED, "12:06"),
                event(ALICE, CHECKOUT, "12:20", 10.0), // Alice buys after all
                event(ALICE, CART_DROPPED, "12:25", 4.5),
                event(BOB, LOGOUT, "12:30"),
                event(BOB, CART_DROPPED, "12:40", 8.0)) // logged out by then
            .advanceWatermarkTo(at("13:00"))
            .addElements(event(ALICE, LOGOUT, "13:10"))
            .advanceWatermarkToInfinity();
    PAssert.that(stamped(detect(events)))
        .containsInAnyOrder(action(BOB, "12:06", null), action(ALICE, "12:25", 4.5));
    p.run();
  }
}
