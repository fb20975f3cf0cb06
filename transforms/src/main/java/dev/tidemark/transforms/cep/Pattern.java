package dev.tidemark.transforms.cep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.joda.time.Duration;

/**
 * An event pattern, declared fluently in the spirit of Flink CEP and matched per key by {@link
 * MatchPattern}. A pattern is a sequence of named steps over one key's events in event-time order;
 * each builder method returns a new, immutable pattern.
 *
 * <p>Operators, one example each ({@code isLogin} etc. are {@link SerializablePredicate}s):
 *
 * <ul>
 *   <li>{@code begin(name)}: the first step; every event satisfying it starts a new partial match.
 *       <pre>{@code Pattern.<Ev>begin("login").where(isLogin)}</pre>
 *   <li>{@code where(predicate)}: the condition on the current step (calling it again ANDs; {@code
 *       or(predicate)} ORs).
 *       <pre>{@code .where(isDrop).where(e -> e.cartValue() != null)}</pre>
 *   <li>{@code next(name)}: strict contiguity: the very next event of the key must satisfy the
 *       step.
 *       <pre>{@code begin("add").where(isAdd).next("drop").where(isDrop)}</pre>
 *   <li>{@code followedBy(name)}: relaxed contiguity (skip till next match): the first later event
 *       satisfying the step is taken, non-matching events in between are ignored.
 *       <pre>{@code
 * begin("login").where(isLogin).followedBy("add").where(isAdd)
 * }</pre>
 *   <li>{@code followedByAny(name)}: non-deterministic relaxed contiguity (skip till any match):
 *       every later event satisfying the step is taken, each in its own match.
 *       <pre>{@code
 * begin("login").where(isLogin).followedByAny("drop").where(isDrop)
 * }</pre>
 *   <li>{@code notNext(name)}: the event right after the previous step's event must not satisfy
 *       this step.
 *       <pre>{@code begin("add").where(isAdd).notNext("drop").where(isDrop)
 *       .followedBy("checkout").where(isCheckout)}</pre>
 *   <li>{@code notFollowedBy(name)}: no event satisfying this step may occur between the previous
 *       and the next positive step.
 *       <pre>{@code begin("login").where(isLogin)
 *       .notFollowedBy("logout").where(isLogout).followedBy("drop").where(isDrop)}</pre>
 *       At the end of a pattern it means absence for a while, so it needs {@code within}: no such
 *       event from the last matched event's time to that time plus the duration (inclusive).
 *       <pre>{@code
 * .followedBy("drop").where(isDrop).notFollowedBy("checkout").where(isCheckout)
 * .within(Duration.standardMinutes(30))
 * }</pre>
 *   <li>{@code within(duration)}: on a positive step, each of its events must come at most {@code
 *       duration} after the previously matched event, or the partial match times out (and is
 *       emitted on the timed-out output); on a trailing {@code notFollowedBy}, the length of the
 *       absence window.
 *       <pre>{@code .followedBy("pay").where(isCheckout)
 *       .within(Duration.standardMinutes(10))}</pre>
 *   <li>{@code times(n)}: the step takes exactly {@code n} events, with the step's contiguity
 *       between them too.
 *       <pre>{@code begin("fail").where(isFailedLogin).times(3)}</pre>
 *   <li>{@code oneOrMore()}: the step takes one or more events; every length is a separate match.
 *       Not allowed on the last positive step (a match would never be known complete).
 *       <pre>{@code
 * begin("login").where(isLogin).followedBy("adds").where(isAdd).oneOrMore()
 * .followedBy("drop").where(isDrop)
 * }</pre>
 *   <li>{@code optional()}: the step may also be skipped (both matches are produced). Not allowed
 *       on the first or last positive step, nor next to a negative step.
 *       <pre>{@code
 * begin("login").where(isLogin).followedBy("add").where(isAdd).optional()
 * .followedBy("checkout").where(isCheckout)
 * }</pre>
 * </ul>
 *
 * <p>Differences from Flink CEP: {@code within} belongs to a step (the gap before it), not to the
 * whole pattern; a trailing {@code notFollowedBy} ends a match only when the watermark has passed
 * its window; events with equal timestamps are ordered by a tie-breaker ({@link
 * MatchPattern#withTieBreaker}), so that matches never depend on arrival order.
 *
 * @param <E> the event type
 */
public final class Pattern<E> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a step relates to the one before it. */
  public enum Kind {
    /** The first step. */
    BEGIN,
    /** Strict contiguity. */
    NEXT,
    /** Relaxed contiguity, skip till next match. */
    FOLLOWED_BY,
    /** Relaxed contiguity, skip till any match. */
    FOLLOWED_BY_ANY,
    /** The next event must not satisfy the step. */
    NOT_NEXT,
    /** No event in between may satisfy the step. */
    NOT_FOLLOWED_BY;

    /** Whether events satisfying the step are forbidden rather than taken. */
    public boolean negative() {
      return this == NOT_NEXT || this == NOT_FOLLOWED_BY;
    }
  }

  /**
   * One step of a pattern.
   *
   * @param name the name its events are reported under in a {@link Match}
   * @param kind its relation to the previous step
   * @param predicate the condition on its events
   * @param times how many events it takes (1 unless {@code times(n)})
   * @param unbounded whether it takes {@code times} or more ({@code oneOrMore()})
   * @param optional whether it may be skipped
   * @param within the largest gap before each of its events, or null
   */
  public record Step<E>(
      String name,
      Kind kind,
      SerializablePredicate<E> predicate,
      int times,
      boolean unbounded,
      boolean optional,
      Duration within)
      implements Serializable {}

  private final List<Step<E>> steps;

  private Pattern(List<Step<E>> steps) {
    this.steps = List.copyOf(steps);
  }

  /** Starts a pattern with the step {@code name}. */
  public static <E> Pattern<E> begin(String name) {
    return new Pattern<E>(List.of()).append(name, Kind.BEGIN);
  }

  /** Appends a step that must be satisfied by the very next event. */
  public Pattern<E> next(String name) {
    return append(name, Kind.NEXT);
  }

  /** Appends a step taken by the first later event satisfying it. */
  public Pattern<E> followedBy(String name) {
    return append(name, Kind.FOLLOWED_BY);
  }

  /** Appends a step taken by every later event satisfying it, one match each. */
  public Pattern<E> followedByAny(String name) {
    return append(name, Kind.FOLLOWED_BY_ANY);
  }

  /** Appends a condition that the event right after the previous step must not satisfy. */
  public Pattern<E> notNext(String name) {
    return append(name, Kind.NOT_NEXT);
  }

  /** Appends a condition that no event between the previous and next step may satisfy. */
  public Pattern<E> notFollowedBy(String name) {
    return append(name, Kind.NOT_FOLLOWED_BY);
  }

  /** Sets the condition of the current step, ANDed with any condition it already has. */
  public Pattern<E> where(SerializablePredicate<E> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    Step<E> s = last();
    SerializablePredicate<E> p = s.predicate() == null ? predicate : s.predicate().and(predicate);
    return replaceLast(
        new Step<>(s.name(), s.kind(), p, s.times(), s.unbounded(), s.optional(), s.within()));
  }

  /** ORs {@code predicate} into the condition of the current step. */
  public Pattern<E> or(SerializablePredicate<E> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    Step<E> s = last();
    if (s.predicate() == null) {
      throw new IllegalStateException("or() needs a where() before it on step " + s.name());
    }
    return replaceLast(
        new Step<>(
            s.name(),
            s.kind(),
            s.predicate().or(predicate),
            s.times(),
            s.unbounded(),
            s.optional(),
            s.within()));
  }

  /** The current step takes exactly {@code n} events. */
  public Pattern<E> times(int n) {
    Step<E> s = positiveLast("times");
    if (n < 1) {
      throw new IllegalArgumentException("times(n) needs n >= 1, got " + n);
    }
    return replaceLast(
        new Step<>(s.name(), s.kind(), s.predicate(), n, s.unbounded(), s.optional(), s.within()));
  }

  /** The current step takes one or more events (at least {@code times(n)} if given). */
  public Pattern<E> oneOrMore() {
    Step<E> s = positiveLast("oneOrMore");
    return replaceLast(
        new Step<>(s.name(), s.kind(), s.predicate(), s.times(), true, s.optional(), s.within()));
  }

  /** The current step may be skipped. */
  public Pattern<E> optional() {
    Step<E> s = positiveLast("optional");
    return replaceLast(
        new Step<>(s.name(), s.kind(), s.predicate(), s.times(), s.unbounded(), true, s.within()));
  }

  /**
   * On a positive step: the largest gap between the previously matched event and each event of this
   * step. On a trailing {@code notFollowedBy}: how long the absence must hold.
   */
  public Pattern<E> within(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("within needs a non-negative duration, got " + duration);
    }
    Step<E> s = last();
    return replaceLast(
        new Step<>(
            s.name(), s.kind(), s.predicate(), s.times(), s.unbounded(), s.optional(), duration));
  }

  /** The steps, in order, as declared. */
  public List<Step<E>> steps() {
    return steps;
  }

  /**
   * Checks the rules that make a pattern matchable and returns it.
   *
   * @throws IllegalArgumentException naming the step that breaks a rule
   */
  public Pattern<E> validate() {
    Set<String> names = new HashSet<>();
    int lastPositive = -1;
    for (int i = 0; i < steps.size(); i++) {
      if (!steps.get(i).kind().negative()) {
        lastPositive = i;
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      Step<E> s = steps.get(i);
      String where = "step '" + s.name() + "': ";
      if (!names.add(s.name())) {
        throw new IllegalArgumentException(where + "step names must be unique");
      }
      boolean trailing = i > lastPositive;
      if (s.kind() == Kind.BEGIN && s.optional()) {
        throw new IllegalArgumentException(where + "the first step cannot be optional()");
      }
      if (s.kind() == Kind.BEGIN && s.within() != null) {
        throw new IllegalArgumentException(
            where + "within() on the first step has nothing to measure from");
      }
      if (i == lastPositive && i > 0 && s.optional()) {
        throw new IllegalArgumentException(where + "the last positive step cannot be optional()");
      }
      if (i == lastPositive && s.unbounded()) {
        throw new IllegalArgumentException(
            where
                + "the last positive step cannot be oneOrMore(): a match would never be complete");
      }
      if (s.kind().negative()) {
        if (trailing && s.kind() == Kind.NOT_NEXT) {
          throw new IllegalArgumentException(where + "a pattern cannot end with notNext()");
        }
        if (!trailing && s.within() != null) {
          throw new IllegalArgumentException(
              where + "within() on a negative step is only allowed at the end of the pattern");
        }
        if (trailing && i == steps.size() - 1 && s.within() == null) {
          throw new IllegalArgumentException(
              where + "a pattern ending with notFollowedBy() needs within(duration)");
        }
        if (trailing && i < steps.size() - 1 && s.within() != null) {
          throw new IllegalArgumentException(
              where + "put within() on the last notFollowedBy() of the pattern only");
        }
        Step<E> before = steps.get(i - 1);
        Step<E> after = i + 1 < steps.size() ? steps.get(i + 1) : null;
        if (before.optional() || (after != null && after.optional())) {
          throw new IllegalArgumentException(
              where + "a negative step cannot be next to an optional() step");
        }
      }
    }
    return this;
  }

  private Pattern<E> append(String name, Kind kind) {
    Objects.requireNonNull(name, "name");
    if (kind != Kind.BEGIN && kind.negative() && steps.isEmpty()) {
      throw new IllegalArgumentException("a pattern cannot begin with a negative step");
    }
    List<Step<E>> copy = new ArrayList<>(steps);
    copy.add(new Step<>(name, kind, null, 1, false, false, null));
    return new Pattern<>(copy);
  }

  private Step<E> last() {
    return steps.get(steps.size() - 1);
  }

  private Step<E> positiveLast(String operator) {
    Step<E> s = last();
    if (s.kind().negative()) {
      throw new IllegalArgumentException(
          operator + "() does not apply to the negative step '" + s.name() + "'");
    }
    return s;
  }

  private Pattern<E> replaceLast(Step<E> step) {
    List<Step<E>> copy = new ArrayList<>(steps);
    copy.set(copy.size() - 1, step);
    return new Pattern<>(copy);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Step<E> s : steps) {
      if (b.length() > 0) {
        b.append('.');
      }
      String op =
          switch (s.kind()) {
            case BEGIN -> "begin";
            case NEXT -> "next";
            case FOLLOWED_BY -> "followedBy";
            case FOLLOWED_BY_ANY -> "followedByAny";
            case NOT_NEXT -> "notNext";
            case NOT_FOLLOWED_BY -> "notFollowedBy";
          };
      b.append(op).append("(\"").append(s.name()).append("\")");
      if (s.times() != 1) {
        b.append(".times(").append(s.times()).append(')');
      }
      if (s.unbounded()) {
        b.append(".oneOrMore()");
      }
      if (s.optional()) {
        b.append(".optional()");
      }
      if (s.within() != null) {
        b.append(".within(").append(s.within()).append(')');
      }
    }
    return b.toString();
  }
}
