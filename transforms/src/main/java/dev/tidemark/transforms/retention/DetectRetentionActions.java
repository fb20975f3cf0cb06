package dev.tidemark.transforms.retention;

import dev.tidemark.transforms.cep.Match;
import dev.tidemark.transforms.cep.MatchPattern;
import dev.tidemark.transforms.cep.Pattern;
import dev.tidemark.transforms.cep.SerializablePredicate;
import dev.tidemark.transforms.late.LateElement;
import java.util.EnumSet;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * The deck's first complex event: "customer logged in + shopping cart dropped ⇒ retention".
 *
 * <p>Rule: one {@link RetentionAction} for each {@code cart_dropped} event <i>d</i> of customer
 * <i>c</i> such that (1) <i>c</i> is logged in at <i>d</i>'s time: there is a {@code login} of
 * <i>c</i> at or before it with no {@code logout} of <i>c</i> in between (a logout at the login's
 * or the drop's very instant counts as in between), and (2) <i>c</i> has no {@code checkout} from
 * <i>d</i>'s time to <i>d</i>'s time plus {@code within}, both ends inclusive.
 *
 * <p>As a {@link Pattern} (see {@link #pattern(Duration)}): the latest login, not followed by a
 * logout or another login, followed by any drop, not followed by a checkout within the window.
 * Events of one customer at the same instant are ordered login, logout, cart_dropped, checkout,
 * add_to_cart, which is what makes the instants inclusive as stated.
 *
 * <p>Input: events timestamped with their own time (see {@link ParseCustomerEvents}). Outputs, by
 * tag: {@link #ACTIONS}; {@link #LATE_EVENTS} events that came behind the watermark, captured.
 */
public final class DetectRetentionActions
    extends PTransform<PCollection<CustomerEvent>, PCollectionTuple> {

  /** Default of {@code within}: 30 minutes. */
  public static final Duration DEFAULT_WITHIN = Duration.standardMinutes(30);

  /** One action per qualifying dropped cart. */
  public static final TupleTag<RetentionAction> ACTIONS = new TupleTag<RetentionAction>() {};

  /** Events that arrived too late to be matched. */
  public static final TupleTag<LateElement<CustomerEvent>> LATE_EVENTS =
      new TupleTag<LateElement<CustomerEvent>>() {};

  /** Same-instant order of a customer's events: login, logout, cart_dropped, checkout, others. */
  public static final SerializableComparator<CustomerEvent> SAME_INSTANT_ORDER =
      (a, b) -> Integer.compare(rank(a.type()), rank(b.type()));

  private final Duration within;

  private DetectRetentionActions(Duration within) {
    this.within = within;
  }

  /** Detects actions with a checkout window of {@code within}. */
  public static DetectRetentionActions within(Duration within) {
    if (within.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("within must be >= 0, got " + within);
    }
    return new DetectRetentionActions(within);
  }

  /** The retention pattern with a checkout window of {@code within}. */
  public static Pattern<CustomerEvent> pattern(Duration within) {
    return Pattern.<CustomerEvent>begin("login")
        .where(is(CustomerEvent.Type.LOGIN))
        .notFollowedBy("logoutOrRelogin")
        .where(is(CustomerEvent.Type.LOGOUT, CustomerEvent.Type.LOGIN))
        .followedByAny("drop")
        .where(is(CustomerEvent.Type.CART_DROPPED))
        .notFollowedBy("checkout")
        .where(is(CustomerEvent.Type.CHECKOUT))
        .within(within);
  }

  @Override
  public PCollectionTuple expand(PCollection<CustomerEvent> events) {
    MatchPattern.Result<String, CustomerEvent> result =
        events
            .apply("KeyByCustomer", ParDo.of(new KeyByCustomerFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), CustomerEvent.coder()))
            .apply(
                "MatchRetentionPattern",
                MatchPattern.<String, CustomerEvent>of(pattern(within))
                    .withTieBreaker(SAME_INSTANT_ORDER));
    PCollection<RetentionAction> actions =
        result
            .matches()
            .apply("ToRetentionAction", ParDo.of(new ToRetentionActionFn()))
            .setCoder(RetentionAction.coder());
    return PCollectionTuple.of(ACTIONS, actions).and(LATE_EVENTS, result.late());
  }

  private static SerializablePredicate<CustomerEvent> is(CustomerEvent.Type... types) {
    Set<CustomerEvent.Type> set = EnumSet.noneOf(CustomerEvent.Type.class);
    set.addAll(java.util.List.of(types));
    return e -> set.contains(e.type());
  }

  private static int rank(CustomerEvent.Type type) {
    return switch (type) {
      case LOGIN -> 0;
      case LOGOUT -> 1;
      case CART_DROPPED -> 2;
      case CHECKOUT -> 3;
      case ADD_TO_CART -> 4;
    };
  }

  /** Keys each event by its customer. */
  static final class KeyByCustomerFn extends DoFn<CustomerEvent, KV<String, CustomerEvent>> {
    @ProcessElement
    public void processElement(
        @Element CustomerEvent event, OutputReceiver<KV<String, CustomerEvent>> out) {
      out.output(KV.of(event.customer(), event));
    }
  }

  /** Turns a match into the action for its dropped cart. */
  static final class ToRetentionActionFn
      extends DoFn<Match<String, CustomerEvent>, RetentionAction> {
    private final Counter actions = Metrics.counter(DetectRetentionActions.class, "actions");

    @ProcessElement
    public void processElement(
        @Element Match<String, CustomerEvent> match, OutputReceiver<RetentionAction> out) {
      CustomerEvent drop = match.first("drop");
      actions.inc();
      out.output(new RetentionAction(match.key(), drop.time(), drop.cartValue()));
    }
  }
}
