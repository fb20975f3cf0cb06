package dev.tidemark.transforms.cep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.joda.time.Instant;

/**
 * The matching engine of one {@link Pattern}: a non-deterministic automaton whose partial matches
 * ({@link Run}s) are advanced by one key's events in event-time order. It holds no state itself;
 * the caller keeps the runs (in Beam state) and feeds events and horizons.
 *
 * <p>Semantics, for events {@code e1 < e2 < ...} of one key in (timestamp, tie-breaker) order:
 * every event satisfying the first step starts a run; a run waiting for a {@code next} step dies
 * unless the very next event is taken; a {@code followedBy} step takes the first later event
 * satisfying it (the run then no longer waits); a {@code followedByAny} step takes every such event
 * (the run keeps waiting too); a waiting run dies on an event (not taken) that satisfies a {@code
 * notFollowedBy} guard before the step, or on the first event after the previous step satisfying a
 * {@code notNext} guard; {@code within} on a positive step makes its event count only up to the
 * previous matched event's time plus the duration (inclusive), after which the run times out; a run
 * past all positive steps with a trailing {@code notFollowedBy} completes once the absence window
 * (inclusive) has passed without a satisfying event.
 */
final class Nfa<E> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Receives what the automaton emits. */
  interface Sink<E> {
    /**
     * A complete match, final at {@code completedAt}: its last event's time, or the end of its
     * absence window.
     */
    void matched(List<MatchedEvent<E>> events, Instant completedAt);

    void timedOut(List<MatchedEvent<E>> events, String missingStep, Instant deadline);
  }

  /** A negative condition on the gap before a positive step. */
  private record Guard<E>(SerializablePredicate<E> predicate, boolean strict)
      implements Serializable {}

  /** A positive step with the guards on the gap before it. */
  private record PositiveStep<E>(
      String name,
      Pattern.Kind kind,
      SerializablePredicate<E> predicate,
      int times,
      boolean unbounded,
      boolean optional,
      Long withinMillis,
      List<Guard<E>> guards)
      implements Serializable {}

  private final List<PositiveStep<E>> steps;
  private final List<SerializablePredicate<E>> trailingGuards;
  private final long trailingWindowMillis;

  Nfa(Pattern<E> pattern) {
    pattern.validate();
    List<PositiveStep<E>> positives = new ArrayList<>();
    List<Guard<E>> pending = new ArrayList<>();
    long window = 0;
    for (Pattern.Step<E> s : pattern.steps()) {
      SerializablePredicate<E> p =
          s.predicate() == null ? SerializablePredicate.always() : s.predicate();
      if (s.kind().negative()) {
        pending.add(new Guard<>(p, s.kind() == Pattern.Kind.NOT_NEXT));
        if (s.within() != null) {
          window = s.within().getMillis();
        }
      } else {
        positives.add(
            new PositiveStep<>(
                s.name(),
                s.kind(),
                p,
                s.times(),
                s.unbounded(),
                s.optional(),
                s.within() == null ? null : s.within().getMillis(),
                List.copyOf(pending)));
        pending.clear();
      }
    }
    this.steps = List.copyOf(positives);
    List<SerializablePredicate<E>> trailing = new ArrayList<>();
    for (Guard<E> g : pending) {
      trailing.add(g.predicate());
    }
    this.trailingGuards = List.copyOf(trailing);
    this.trailingWindowMillis = window;
  }

  /**
   * A partial match: waiting for step {@code pos} (or, when {@code pos} is the number of positive
   * steps, in the trailing absence window), having taken {@code count} events of it.
   *
   * @param pos index of the positive step waited for
   * @param count events of that step taken so far
   * @param fresh whether no event has been seen since the last taken one (for strict contiguity)
   * @param deadline the last instant an awaited event counts (or the absence window ends), or null
   * @param events the events taken so far
   */
  record Run<E>(int pos, int count, boolean fresh, Instant deadline, List<MatchedEvent<E>> events) {

    Instant lastTimestamp() {
      return events.get(events.size() - 1).timestamp();
    }

    Run<E> seen() {
      return fresh ? new Run<>(pos, count, false, deadline, events) : this;
    }
  }

  /**
   * Feeds one event, returning the runs after it. Runs whose deadline is before the event's time
   * are expired first.
   */
  List<Run<E>> advance(List<Run<E>> runs, E event, Instant timestamp, Sink<E> sink) {
    List<Run<E>> live = expire(runs, timestamp, sink);
    List<Run<E>> out = new ArrayList<>(live.size() + 1);
    for (Run<E> run : live) {
      step(run, event, timestamp, out, sink);
    }
    PositiveStep<E> first = steps.get(0);
    if (first.predicate().test(event)) {
      take(new Run<>(0, 0, true, null, List.of()), first, event, timestamp, out, sink);
    }
    return out;
  }

  /**
   * Ends the runs whose deadline is strictly before {@code horizon} (all events up to the deadline
   * have been fed): completes those in their absence window, times out those missing a required
   * event, drops the rest (alternatives that another run already covers).
   */
  List<Run<E>> expire(List<Run<E>> runs, Instant horizon, Sink<E> sink) {
    List<Run<E>> out = null;
    for (int i = 0; i < runs.size(); i++) {
      Run<E> run = runs.get(i);
      if (run.deadline() != null && run.deadline().isBefore(horizon)) {
        if (out == null) {
          out = new ArrayList<>(runs.subList(0, i));
        }
        if (run.pos() == steps.size()) {
          sink.matched(run.events(), run.deadline());
        } else {
          PositiveStep<E> s = steps.get(run.pos());
          boolean required = run.count() < s.times() && !(run.count() == 0 && s.optional());
          if (required) {
            sink.timedOut(run.events(), s.name(), run.deadline());
          }
        }
      } else if (out != null) {
        out.add(run);
      }
    }
    return out == null ? runs : out;
  }

  /** The earliest deadline among {@code runs}, or null. */
  static <E> Instant earliestDeadline(List<Run<E>> runs) {
    Instant min = null;
    for (Run<E> r : runs) {
      if (r.deadline() != null && (min == null || r.deadline().isBefore(min))) {
        min = r.deadline();
      }
    }
    return min;
  }

  private void step(Run<E> run, E event, Instant ts, List<Run<E>> out, Sink<E> sink) {
    if (run.pos() == steps.size()) {
      for (SerializablePredicate<E> g : trailingGuards) {
        if (g.test(event)) {
          return;
        }
      }
      out.add(run.seen());
      return;
    }
    PositiveStep<E> s = steps.get(run.pos());
    boolean strict = s.kind() == Pattern.Kind.NEXT;
    boolean inTime = run.deadline() == null || !ts.isAfter(run.deadline());
    boolean taken = inTime && (!strict || run.fresh()) && s.predicate().test(event);
    if (taken) {
      take(run, s, event, ts, out, sink);
    }
    if (strict || (taken && s.kind() != Pattern.Kind.FOLLOWED_BY_ANY)) {
      return;
    }
    if (run.count() == 0) {
      for (Guard<E> g : s.guards()) {
        if ((!g.strict() || run.fresh()) && g.predicate().test(event)) {
          return;
        }
      }
    }
    out.add(run.seen());
  }

  private void take(
      Run<E> run, PositiveStep<E> s, E event, Instant ts, List<Run<E>> out, Sink<E> sink) {
    List<MatchedEvent<E>> events = new ArrayList<>(run.events().size() + 1);
    events.addAll(run.events());
    events.add(new MatchedEvent<>(s.name(), ts, event));
    int count = run.count() + 1;
    if (!s.unbounded() && count == s.times()) {
      enter(run.pos() + 1, events, out, sink);
    } else {
      out.add(new Run<>(run.pos(), count, true, deadlineFor(run.pos(), ts), events));
      if (s.unbounded() && count >= s.times()) {
        enter(run.pos() + 1, events, out, sink);
      }
    }
  }

  /** A run arrives, fresh, at step {@code pos} after taking {@code events}. */
  private void enter(int pos, List<MatchedEvent<E>> events, List<Run<E>> out, Sink<E> sink) {
    Instant last = events.get(events.size() - 1).timestamp();
    if (pos == steps.size()) {
      if (trailingGuards.isEmpty()) {
        sink.matched(events, last);
      } else {
        out.add(new Run<>(pos, 0, true, last.plus(trailingWindowMillis), events));
      }
      return;
    }
    out.add(new Run<>(pos, 0, true, deadlineFor(pos, last), events));
    if (steps.get(pos).optional()) {
      enter(pos + 1, events, out, sink);
    }
  }

  private Instant deadlineFor(int pos, Instant last) {
    Long within = steps.get(pos).withinMillis();
    return within == null ? null : last.plus(within);
  }

  /** Coder of a key's list of runs given the event coder. */
  static <E> Coder<List<Run<E>>> runsCoder(Coder<E> eventCoder) {
    return new RunsCoder<>(eventCoder);
  }

  /** Encodes runs: count, then (pos, count, fresh, deadline, events) each. */
  static final class RunsCoder<E> extends CustomCoder<List<Run<E>>> {
    private static final Coder<Integer> INT = VarIntCoder.of();
    private static final Coder<Boolean> BOOL = BooleanCoder.of();
    private static final Coder<Instant> DEADLINE = NullableCoder.of(InstantCoder.of());
    private final Coder<List<MatchedEvent<E>>> eventsCoder;

    RunsCoder(Coder<E> eventCoder) {
      this.eventsCoder = new Match.MatchedEventsCoder<>(eventCoder);
    }

    @Override
    public void encode(List<Run<E>> value, OutputStream out) throws IOException {
      INT.encode(value.size(), out);
      for (Run<E> r : value) {
        INT.encode(r.pos(), out);
        INT.encode(r.count(), out);
        BOOL.encode(r.fresh(), out);
        DEADLINE.encode(r.deadline(), out);
        eventsCoder.encode(r.events(), out);
      }
    }

    @Override
    public List<Run<E>> decode(InputStream in) throws IOException {
      int n = INT.decode(in);
      List<Run<E>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(
            new Run<>(
                INT.decode(in),
                INT.decode(in),
                BOOL.decode(in),
                DEADLINE.decode(in),
                eventsCoder.decode(in)));
      }
      return out;
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(eventsCoder);
    }
  }
}
