package dev.tidemark.transforms.cep;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * Property: for patterns that together use every operator, on thousands of random event sequences
 * (with many equal timestamps), the automaton's matches equal those of a brute-force matcher that
 * tries every subsequence and every split of it into steps, and checks the stated semantics
 * directly. Events are strings: their kind letter, then their position ({@code "b3"}).
 */
public class NfaPropertyTest {

  private static final int SEQUENCES_PER_PATTERN = 4_000;
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final String KINDS = "abcx";

  private static SerializablePredicate<String> kind(char letter) {
    return e -> e.charAt(0) == letter;
  }

  private static Duration minutes(int n) {
    return Duration.standardMinutes(n);
  }

  /** The patterns under test, each exercising several operators. */
  private static List<Pattern<String>> patterns() {
    return List.of(
        Pattern.<String>begin("A")
            .where(kind('a'))
            .next("B")
            .where(kind('b'))
            .followedBy("C")
            .where(kind('c')),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .followedByAny("B")
            .where(kind('b'))
            .notFollowedBy("X")
            .where(kind('x'))
            .followedBy("C")
            .where(kind('c')),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .notNext("X")
            .where(kind('x'))
            .followedBy("B")
            .where(kind('b'))
            .times(2)
            .followedBy("C")
            .where(kind('c'))
            .within(minutes(5)),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .followedBy("B")
            .where(kind('b'))
            .oneOrMore()
            .followedByAny("C")
            .where(kind('c')),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .followedBy("B")
            .where(kind('b'))
            .optional()
            .next("C")
            .where(kind('c')),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .times(2)
            .followedByAny("B")
            .where(kind('b'))
            .notFollowedBy("X")
            .where(kind('x'))
            .within(minutes(3)),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .notFollowedBy("X")
            .where(kind('x'))
            .followedByAny("B")
            .where(kind('b'))
            .within(minutes(4))
            .notFollowedBy("C")
            .where(kind('c'))
            .within(minutes(5)),
        Pattern.<String>begin("A")
            .where(kind('a'))
            .or(kind('b'))
            .next("B")
            .where(kind('b'))
            .oneOrMore()
            .within(minutes(2))
            .next("C")
            .where(kind('c')));
  }

  /** The automaton's and the brute force's matches agree on every sequence, for every pattern. */
  @Test
  public void automatonEqualsBruteForceOnRandomSequences() {
    Random random = new Random(7L);
    long matched = 0;
    for (Pattern<String> pattern : patterns()) {
      Nfa<String> nfa = new Nfa<>(pattern);
      for (int s = 0; s < SEQUENCES_PER_PATTERN; s++) {
        int n = 1 + random.nextInt(8);
        List<String> events = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        Instant t = T0;
        for (int i = 0; i < n; i++) {
          t = t.plus(minutes(random.nextInt(3))); // 0 minutes: equal timestamps
          events.add(KINDS.charAt(random.nextInt(KINDS.length())) + String.valueOf(i));
          times.add(t);
        }
        List<String> expected = BruteForce.matches(pattern, events, times);
        List<String> actual = run(nfa, events, times);
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(pattern + " on " + events + " at " + times, expected, actual);
        matched += expected.size();
      }
    }
    assertTrue("the property is not vacuous: " + matched + " matches", matched > 5_000);
  }

  private static List<String> run(Nfa<String> nfa, List<String> events, List<Instant> times) {
    List<String> out = new ArrayList<>();
    Nfa.Sink<String> sink =
        new Nfa.Sink<>() {
          @Override
          public void matched(List<MatchedEvent<String>> matched, Instant completedAt) {
            StringBuilder b = new StringBuilder();
            for (MatchedEvent<String> m : matched) {
              b.append(m.step()).append('=').append(m.event()).append(' ');
            }
            out.add(b.toString().strip());
          }

          @Override
          public void timedOut(List<MatchedEvent<String>> e, String step, Instant deadline) {}
        };
    List<Nfa.Run<String>> runs = List.of();
    for (int i = 0; i < events.size(); i++) {
      runs = nfa.advance(runs, events.get(i), times.get(i), sink);
    }
    nfa.expire(runs, new Instant(Long.MAX_VALUE), sink);
    return out;
  }

  /** Every subsequence, every split into steps, checked against the semantics one by one. */
  static final class BruteForce {
    private final List<Pattern.Step<String>> positives = new ArrayList<>();
    private final List<List<Pattern.Step<String>>> guardsBefore = new ArrayList<>();
    private final List<Pattern.Step<String>> trailing = new ArrayList<>();
    private Duration trailingWindow;
    private final List<String> events;
    private final List<Instant> times;
    private final List<String> out = new ArrayList<>();

    private BruteForce(Pattern<String> pattern, List<String> events, List<Instant> times) {
      this.events = events;
      this.times = times;
      List<Pattern.Step<String>> pending = new ArrayList<>();
      for (Pattern.Step<String> s : pattern.steps()) {
        if (s.kind().negative()) {
          pending.add(s);
          if (s.within() != null) {
            trailingWindow = s.within();
          }
        } else {
          positives.add(s);
          guardsBefore.add(new ArrayList<>(pending));
          pending.clear();
        }
      }
      trailing.addAll(pending);
    }

    static List<String> matches(Pattern<String> pattern, List<String> events, List<Instant> t) {
      BruteForce b = new BruteForce(pattern, events, t);
      int m = events.size();
      for (int mask = 1; mask < (1 << m); mask++) {
        List<Integer> subset = new ArrayList<>();
        for (int i = 0; i < m; i++) {
          if ((mask & (1 << i)) != 0) {
            subset.add(i);
          }
        }
        b.split(subset, 0, 0, 0, new int[m]);
      }
      return b.out;
    }

    /** Assigns subset[pos..] to steps from {@code k} (which holds {@code count} already). */
    private void split(List<Integer> subset, int pos, int k, int count, int[] stepOf) {
      Pattern.Step<String> s = positives.get(k);
      boolean canClose =
          (count == 0 && s.optional()) || (s.unbounded() ? count >= s.times() : count == s.times());
      if (pos == subset.size()) {
        if (k == positives.size() - 1 && canClose && count > 0) {
          check(subset, stepOf);
        }
        return;
      }
      if (s.unbounded() || count < s.times()) {
        stepOf[subset.get(pos)] = k;
        split(subset, pos + 1, k, count + 1, stepOf);
      }
      if (canClose && k + 1 < positives.size() && (k > 0 || count > 0)) {
        split(subset, pos, k + 1, 0, stepOf);
      }
    }

    private void check(List<Integer> subset, int[] stepOf) {
      for (int j = 0; j < subset.size(); j++) {
        int i = subset.get(j);
        Pattern.Step<String> s = positives.get(stepOf[i]);
        if (!s.predicate().test(events.get(i))) {
          return;
        }
        if (j == 0) {
          continue;
        }
        int prev = subset.get(j - 1);
        if (s.kind() == Pattern.Kind.NEXT && i != prev + 1) {
          return;
        }
        if (s.kind() == Pattern.Kind.FOLLOWED_BY || s.kind() == Pattern.Kind.BEGIN) {
          for (int between = prev + 1; between < i; between++) {
            if (s.predicate().test(events.get(between))) {
              return;
            }
          }
        }
        if (s.within() != null && times.get(i).isAfter(times.get(prev).plus(s.within()))) {
          return;
        }
        if (stepOf[prev] != stepOf[i]) {
          for (Pattern.Step<String> g : guardsBefore.get(stepOf[i])) {
            for (int between = prev + 1; between < i; between++) {
              boolean inScope = g.kind() == Pattern.Kind.NOT_FOLLOWED_BY || between == prev + 1;
              if (inScope && g.predicate().test(events.get(between))) {
                return;
              }
            }
          }
        }
      }
      int last = subset.get(subset.size() - 1);
      for (Pattern.Step<String> g : trailing) {
        for (int after = last + 1; after < events.size(); after++) {
          boolean inWindow = !times.get(after).isAfter(times.get(last).plus(trailingWindow));
          if (inWindow && g.predicate().test(events.get(after))) {
            return;
          }
        }
      }
      StringBuilder b = new StringBuilder();
      for (int i : subset) {
        b.append(positives.get(stepOf[i]).name()).append('=').append(events.get(i)).append(' ');
      }
      out.add(b.toString().strip());
    }
  }
}
