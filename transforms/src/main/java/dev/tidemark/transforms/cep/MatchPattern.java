package dev.tidemark.transforms.cep;

import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Matches a {@link Pattern} per key over a {@code PCollection<KV<K, E>>} in event-time order.
 *
 * <p>Concepts: keyed state and event-time timers. Each key's events are buffered until the input
 * watermark (minus the allowed lateness) passes them, then fed to the pattern's automaton in
 * (timestamp, tie-breaker) order, so the result never depends on arrival order. An event that
 * arrives behind the watermark by more than the allowed lateness is never silently dropped: it is
 * captured on the late output. When a key holds no buffered event and no partial match, every piece
 * of its state is cleared; a partial match that can still complete is kept as long as it can (use
 * {@code within} to bound it).
 *
 * <p>The input is first re-windowed into the global window, so that the runner never drops an
 * element for an expired window: lateness is decided here, and captured.
 *
 * <p>Outputs ({@link Result}): {@link Result#matches()} complete matches with their events by step
 * name; {@link Result#timedOut()} partial matches whose awaited event did not come within its
 * step's {@code within}; {@link Result#late()} events too late to be matched. All in the global
 * window. A match is timestamped with the earliest watermark at which it is final: its last event's
 * time (or the end of its absence window, or a time-out's deadline) plus the allowed lateness plus
 * 1 ms. A late event keeps its own timestamp.
 *
 * <pre>{@code
 * Pattern<CustomerEvent> abandoned =
 *     Pattern.<CustomerEvent>begin("drop").where(e -> e.type() == Type.CART_DROPPED)
 *         .notFollowedBy("checkout").where(e -> e.type() == Type.CHECKOUT)
 *         .within(Duration.standardMinutes(30));
 * MatchPattern.Result<String, CustomerEvent> result =
 *     eventsByCustomer.apply("MatchAbandonedCarts", MatchPattern.of(abandoned));
 * PCollection<Match<String, CustomerEvent>> matches = result.matches();
 * }</pre>
 *
 * <p>Metrics (namespace {@code dev.tidemark.transforms.cep.MatchPattern}): counters {@code
 * eventsIn}, {@code lateEvents}, {@code matches}, {@code timedOutMatches}, {@code keysWithState}
 * (goes up when a key starts holding state and down when it is cleared), {@code keysReleased};
 * distributions {@code eventsHeldPerKey} (buffered events plus events held by partial matches, at
 * each flush: its max is the peak state per key), {@code partialMatchesPerKey} (the most partial
 * matches a key held during a flush) and {@code stateReleasedAtMillis} (the input watermark, or the
 * timer's instant if later, when a key's state was cleared).
 */
public final class MatchPattern<K, E>
    extends PTransform<PCollection<KV<K, E>>, MatchPattern.Result<K, E>> {

  /** Metric namespace. */
  public static final String METRICS_NAMESPACE = MatchPattern.class.getName();

  private final Pattern<E> pattern;
  private final Duration allowedLateness;
  private final SerializableComparator<E> tieBreaker;

  private MatchPattern(
      Pattern<E> pattern, Duration allowedLateness, SerializableComparator<E> tieBreaker) {
    this.pattern = pattern.validate();
    this.allowedLateness = allowedLateness;
    this.tieBreaker = tieBreaker;
  }

  /** Matches {@code pattern} per key, with no allowed lateness and byte-order tie-breaking. */
  public static <K, E> MatchPattern<K, E> of(Pattern<E> pattern) {
    return new MatchPattern<>(Objects.requireNonNull(pattern, "pattern"), Duration.ZERO, null);
  }

  /**
   * Accepts events up to {@code lateness} behind the watermark (matching then waits that much
   * longer); events further behind go to the late output.
   */
  public MatchPattern<K, E> withAllowedLateness(Duration lateness) {
    if (lateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + lateness);
    }
    return new MatchPattern<>(pattern, lateness, tieBreaker);
  }

  /**
   * Orders events of one key that have the same timestamp. Without it, such events are ordered by
   * their encoded bytes: deterministic, but arbitrary.
   */
  public MatchPattern<K, E> withTieBreaker(SerializableComparator<E> comparator) {
    return new MatchPattern<>(pattern, allowedLateness, Objects.requireNonNull(comparator));
  }

  @Override
  public Result<K, E> expand(PCollection<KV<K, E>> input) {
    if (!(input.getCoder() instanceof KvCoder<K, E> kvCoder)) {
      throw new IllegalArgumentException(
          "MatchPattern needs a KvCoder input, got " + input.getCoder());
    }
    TupleTag<Match<K, E>> matchesTag = new TupleTag<>("matches");
    TupleTag<TimedOutMatch<K, E>> timedOutTag = new TupleTag<>("timedOut");
    TupleTag<LateElement<E>> lateTag = new TupleTag<>("late");
    Coder<K> keyCoder = kvCoder.getKeyCoder();
    Coder<E> eventCoder = kvCoder.getValueCoder();
    PCollectionTuple out =
        input
            .apply(
                "RewindowIntoGlobalWindow",
                WindowingPolicy.of(WindowSpec.global()).<KV<K, E>>toWindow())
            .apply(
                "MatchPerKey",
                ParDo.of(
                        new MatchPatternFn<>(
                            pattern,
                            allowedLateness,
                            tieBreaker,
                            eventCoder,
                            matchesTag,
                            timedOutTag,
                            lateTag))
                    .withOutputTags(matchesTag, TupleTagList.of(timedOutTag).and(lateTag)));
    out.get(matchesTag).setCoder(Match.coder(keyCoder, eventCoder));
    out.get(timedOutTag).setCoder(TimedOutMatch.coder(keyCoder, eventCoder));
    out.get(lateTag).setCoder(LateElement.coder(eventCoder));
    return new Result<>(input.getPipeline(), out, matchesTag, timedOutTag, lateTag);
  }

  /** The outputs of {@link MatchPattern}. */
  public static final class Result<K, E> implements POutput {
    private final Pipeline pipeline;
    private final PCollectionTuple tuple;
    private final TupleTag<Match<K, E>> matchesTag;
    private final TupleTag<TimedOutMatch<K, E>> timedOutTag;
    private final TupleTag<LateElement<E>> lateTag;

    Result(
        Pipeline pipeline,
        PCollectionTuple tuple,
        TupleTag<Match<K, E>> matchesTag,
        TupleTag<TimedOutMatch<K, E>> timedOutTag,
        TupleTag<LateElement<E>> lateTag) {
      this.pipeline = pipeline;
      this.tuple = tuple;
      this.matchesTag = matchesTag;
      this.timedOutTag = timedOutTag;
      this.lateTag = lateTag;
    }

    /** Complete matches. */
    public PCollection<Match<K, E>> matches() {
      return tuple.get(matchesTag);
    }

    /** Partial matches that timed out waiting for a step with {@code within}. */
    public PCollection<TimedOutMatch<K, E>> timedOut() {
      return tuple.get(timedOutTag);
    }

    /** Events that arrived too late to be matched, captured with the watermark at arrival. */
    public PCollection<LateElement<E>> late() {
      return tuple.get(lateTag);
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return tuple.expand();
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  /**
   * Per-key bookkeeping: the instant the flush timer is set for (null when none is set) and the
   * horizon up to which events have been fed to the automaton (exclusive).
   */
  record KeyMeta(Instant timerAt, Instant horizon) {}

  /** Coder of {@link KeyMeta}: two nullable instants. */
  static final class KeyMetaCoder extends CustomCoder<KeyMeta> {
    private static final Coder<Instant> OPTIONAL_INSTANT = NullableCoder.of(InstantCoder.of());

    @Override
    public void encode(KeyMeta value, OutputStream out) throws IOException {
      OPTIONAL_INSTANT.encode(value.timerAt(), out);
      OPTIONAL_INSTANT.encode(value.horizon(), out);
    }

    @Override
    public KeyMeta decode(InputStream in) throws IOException {
      return new KeyMeta(OPTIONAL_INSTANT.decode(in), OPTIONAL_INSTANT.decode(in));
    }
  }

  /**
   * The stateful matcher: buffers a key's events, and on its event-time timer feeds those the
   * watermark has passed to the automaton, emits matches and time-outs, and re-arms the timer for
   * the next buffered event or deadline, or clears the key's state when nothing is left.
   */
  static final class MatchPatternFn<K, E> extends DoFn<KV<K, E>, Match<K, E>> {
    private static final String BUFFER = "buffer";
    private static final String RUNS = "runs";
    private static final String META = "meta";
    private static final String FLUSH = "flush";

    private final Counter eventsIn = Metrics.counter(METRICS_NAMESPACE, "eventsIn");
    private final Counter lateEvents = Metrics.counter(METRICS_NAMESPACE, "lateEvents");
    private final Counter matchCount = Metrics.counter(METRICS_NAMESPACE, "matches");
    private final Counter timedOutCount = Metrics.counter(METRICS_NAMESPACE, "timedOutMatches");
    private final Counter keysWithState = Metrics.counter(METRICS_NAMESPACE, "keysWithState");
    private final Counter keysReleased = Metrics.counter(METRICS_NAMESPACE, "keysReleased");
    private final Distribution eventsHeld =
        Metrics.distribution(METRICS_NAMESPACE, "eventsHeldPerKey");
    private final Distribution partialMatches =
        Metrics.distribution(METRICS_NAMESPACE, "partialMatchesPerKey");
    private final Distribution releasedAt =
        Metrics.distribution(METRICS_NAMESPACE, "stateReleasedAtMillis");

    private final Nfa<E> nfa;
    private final Duration allowedLateness;
    private final SerializableComparator<E> tieBreaker;
    private final Coder<E> eventCoder;
    private final TupleTag<Match<K, E>> matchesTag;
    private final TupleTag<TimedOutMatch<K, E>> timedOutTag;
    private final TupleTag<LateElement<E>> lateTag;

    @StateId(BUFFER)
    private final StateSpec<BagState<TimestampedValue<E>>> bufferSpec;

    @StateId(RUNS)
    private final StateSpec<ValueState<List<Nfa.Run<E>>>> runsSpec;

    @StateId(META)
    private final StateSpec<ValueState<KeyMeta>> metaSpec = StateSpecs.value(new KeyMetaCoder());

    @TimerId(FLUSH)
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    MatchPatternFn(
        Pattern<E> pattern,
        Duration allowedLateness,
        SerializableComparator<E> tieBreaker,
        Coder<E> eventCoder,
        TupleTag<Match<K, E>> matchesTag,
        TupleTag<TimedOutMatch<K, E>> timedOutTag,
        TupleTag<LateElement<E>> lateTag) {
      this.nfa = new Nfa<>(pattern);
      this.allowedLateness = allowedLateness;
      this.tieBreaker = tieBreaker;
      this.eventCoder = eventCoder;
      this.matchesTag = matchesTag;
      this.timedOutTag = timedOutTag;
      this.lateTag = lateTag;
      this.bufferSpec = StateSpecs.bag(TimestampedValue.TimestampedValueCoder.of(eventCoder));
      this.runsSpec = StateSpecs.value(Nfa.runsCoder(eventCoder));
    }

    @ProcessElement
    public void processElement(
        @Element KV<K, E> element,
        @Timestamp Instant timestamp,
        @StateId(BUFFER) BagState<TimestampedValue<E>> buffer,
        @StateId(META) ValueState<KeyMeta> metaState,
        @TimerId(FLUSH) Timer flush,
        MultiOutputReceiver out) {
      eventsIn.inc();
      // For an event-time timer this is the input watermark of this step.
      Instant watermark = flush.getCurrentRelativeTime();
      KeyMeta meta = metaState.read();
      Instant horizon = meta == null ? null : meta.horizon();
      boolean behindWatermark = timestamp.plus(allowedLateness).isBefore(watermark);
      boolean behindHorizon = horizon != null && timestamp.isBefore(horizon);
      if (behindWatermark || behindHorizon) {
        lateEvents.inc();
        out.get(lateTag)
            .output(
                LateElement.of(
                    element.getValue(),
                    timestamp,
                    GlobalWindow.INSTANCE,
                    watermark,
                    "event at "
                        + timestamp
                        + " is behind the watermark "
                        + watermark
                        + " by more than the allowed lateness "
                        + allowedLateness
                        + (behindHorizon
                            ? "; this key was already matched up to " + horizon
                            : "")));
        return;
      }
      buffer.add(TimestampedValue.of(element.getValue(), timestamp));
      if (meta == null) {
        keysWithState.inc();
        meta = new KeyMeta(null, null);
      }
      Instant target = timerFor(timestamp);
      if (meta.timerAt() == null || target.isBefore(meta.timerAt())) {
        flush.set(target);
        metaState.write(new KeyMeta(target, meta.horizon()));
      }
    }

    @OnTimer(FLUSH)
    public void onFlush(
        OnTimerContext context,
        @Key K key,
        @StateId(BUFFER) BagState<TimestampedValue<E>> buffer,
        @StateId(RUNS) ValueState<List<Nfa.Run<E>>> runsState,
        @StateId(META) ValueState<KeyMeta> metaState,
        @TimerId(FLUSH) Timer flush,
        MultiOutputReceiver out) {
      Instant fired = context.timestamp();
      Instant watermark = flush.getCurrentRelativeTime();
      Instant reach = watermark.isAfter(fired) ? watermark : fired;
      // Events strictly before the horizon can no longer be joined by an on-time event.
      Instant horizon =
          reach.isBefore(GlobalWindow.INSTANCE.maxTimestamp())
              ? reach.minus(allowedLateness)
              : BoundedWindow.TIMESTAMP_MAX_VALUE.plus(Duration.millis(1));

      List<TimestampedValue<E>> ready = new ArrayList<>();
      List<TimestampedValue<E>> rest = new ArrayList<>();
      for (TimestampedValue<E> e : buffer.read()) {
        (e.getTimestamp().isBefore(horizon) ? ready : rest).add(e);
      }
      List<Nfa.Run<E>> runs = runsState.read();
      if (runs == null) {
        runs = List.of();
      }
      long held = ready.size() + rest.size();
      for (Nfa.Run<E> r : runs) {
        held += r.events().size();
      }
      eventsHeld.update(held);
      int mostRuns = runs.size();

      ready.sort(eventOrder());
      Nfa.Sink<E> sink =
          new Nfa.Sink<>() {
            @Override
            public void matched(List<MatchedEvent<E>> events, Instant completedAt) {
              matchCount.inc();
              out.get(matchesTag)
                  .outputWithTimestamp(new Match<>(key, events), timerFor(completedAt));
            }

            @Override
            public void timedOut(List<MatchedEvent<E>> events, String step, Instant deadline) {
              timedOutCount.inc();
              out.get(timedOutTag)
                  .outputWithTimestamp(
                      new TimedOutMatch<>(key, events, step, deadline), timerFor(deadline));
            }
          };
      for (TimestampedValue<E> e : ready) {
        runs = nfa.advance(runs, e.getValue(), e.getTimestamp(), sink);
        mostRuns = Math.max(mostRuns, runs.size());
      }
      runs = nfa.expire(runs, horizon, sink);
      partialMatches.update(mostRuns);

      Instant next = Nfa.earliestDeadline(runs);
      for (TimestampedValue<E> e : rest) {
        if (next == null || e.getTimestamp().isBefore(next)) {
          next = e.getTimestamp();
        }
      }
      if (next == null && runs.isEmpty()) {
        buffer.clear();
        runsState.clear();
        metaState.clear();
        keysWithState.dec();
        keysReleased.inc();
        releasedAt.update(reach.getMillis());
        return;
      }
      if (!ready.isEmpty()) {
        buffer.clear();
        for (TimestampedValue<E> e : rest) {
          buffer.add(e);
        }
      }
      if (runs.isEmpty()) {
        runsState.clear();
      } else {
        runsState.write(runs);
      }
      Instant target = null;
      if (next != null) {
        target = timerFor(next);
        flush.set(target);
      }
      metaState.write(new KeyMeta(target, horizon));
    }

    /** The timer instant at which an event (or deadline) at {@code t} becomes final. */
    private Instant timerFor(Instant t) {
      Instant target = t.plus(allowedLateness).plus(Duration.millis(1));
      Instant max = GlobalWindow.INSTANCE.maxTimestamp();
      return target.isAfter(max) ? max : target;
    }

    private Comparator<TimestampedValue<E>> eventOrder() {
      Comparator<TimestampedValue<E>> byTime = Comparator.comparing(TimestampedValue::getTimestamp);
      Comparator<E> ties = tieBreaker != null ? tieBreaker : this::compareEncoded;
      return byTime.thenComparing(TimestampedValue::getValue, ties);
    }

    private int compareEncoded(E a, E b) {
      return Arrays.compareUnsigned(encode(a), encode(b));
    }

    private byte[] encode(E e) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        eventCoder.encode(e, bytes);
        return bytes.toByteArray();
      } catch (CoderException ex) {
        throw new IllegalStateException("cannot encode event for ordering", ex);
      } catch (IOException ex) {
        throw new IllegalStateException("cannot encode event for ordering", ex);
      }
    }
  }
}
