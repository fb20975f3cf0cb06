package dev.tidemark.transforms.cep;

import static org.junit.Assert.assertEquals;

import dev.tidemark.transforms.late.LateElement;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * One specification per operator of the pattern API, on events that are plain strings whose first
 * letter is their kind ({@code "a1"} is an {@code a}); plus late capture and the release of state.
 */
public class MatchPatternTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String K = "k";
  private static final Duration TEN_MINUTES = Duration.standardMinutes(10);

  private static Instant at(String hhmm) {
    return Instant.parse("2026-01-01T" + hhmm + ":00Z");
  }

  private static TimestampedValue<KV<String, String>> event(String key, String e, String hhmm) {
    return TimestampedValue.of(KV.of(key, e), at(hhmm));
  }

  /** Events of key {@code k} at consecutive minutes from 12:00, in the given order. */
  private static TestStream<KV<String, String>> minuteByMinute(String... events) {
    TestStream.Builder<KV<String, String>> b =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    for (int i = 0; i < events.length; i++) {
      b = b.addElements(event(K, events[i], String.format("12:%02d", i)));
    }
    return b.advanceWatermarkToInfinity();
  }

  private static SerializablePredicate<String> kind(String letter) {
    return e -> e.startsWith(letter);
  }

  /** Renders a match as {@code key: step=event step=event ...}. */
  static final class RenderMatchFn extends SimpleFunction<Match<String, String>, String> {
    @Override
    public String apply(Match<String, String> m) {
      return m.key()
          + ":"
          + m.events().stream()
              .map(e -> " " + e.step() + "=" + e.event())
              .collect(Collectors.joining());
    }
  }

  /** Renders a timed-out match as {@code first-event waited for step until deadline}. */
  static final class RenderTimedOutFn
      extends SimpleFunction<TimedOutMatch<String, String>, String> {
    @Override
    public String apply(TimedOutMatch<String, String> t) {
      return t.events().get(0).event()
          + " waited for "
          + t.missingStep()
          + " until "
          + t.deadline();
    }
  }

  /** Renders a late event as {@code event@time wm watermark}. */
  static final class RenderLateFn extends SimpleFunction<LateElement<String>, String> {
    @Override
    public String apply(LateElement<String> l) {
      return l.element() + "@" + l.timestamp() + " wm " + l.watermark();
    }
  }

  private PCollection<String> matches(TestStream<KV<String, String>> events, Pattern<String> p1) {
    return p.apply("Events", events)
        .apply("Match", MatchPattern.<String, String>of(p1))
        .matches()
        .apply("Render", MapElements.via(new RenderMatchFn()));
  }

  /** followedBy takes the first later event satisfying the step, skipping others. */
  @Test
  public void followedByTakesFirstMatchingEvent() {
    Pattern<String> pattern =
        Pattern.<String>begin("a").where(kind("a")).followedBy("b").where(kind("b"));
    PAssert.that(matches(minuteByMinute("a1", "x1", "b1", "b2"), pattern))
        .containsInAnyOrder("k: a=a1 b=b1");
    p.run();
  }

  /** followedByAny takes every later satisfying event, one match each. */
  @Test
  public void followedByAnyTakesEveryMatchingEvent() {
    Pattern<String> pattern =
        Pattern.<String>begin("a").where(kind("a")).followedByAny("b").where(kind("b"));
    PAssert.that(matches(minuteByMinute("a1", "b1", "x1", "b2"), pattern))
        .containsInAnyOrder("k: a=a1 b=b1", "k: a=a1 b=b2");
    p.run();
  }

  /** next needs the very next event; anything in between breaks the match. */
  @Test
  public void nextRequiresStrictContiguity() {
    Pattern<String> pattern =
        Pattern.<String>begin("a").where(kind("a")).next("b").where(kind("b"));
    PAssert.that(matches(minuteByMinute("a1", "b1", "a2", "x1", "b2"), pattern))
        .containsInAnyOrder("k: a=a1 b=b1");
    p.run();
  }

  /** notNext forbids the event right after the previous step only. */
  @Test
  public void notNextForbidsOnlyTheImmediateNextEvent() {
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .notNext("x")
            .where(kind("x"))
            .followedBy("c")
            .where(kind("c"));
    PAssert.that(matches(minuteByMinute("a1", "x1", "c1", "a2", "b1", "x2", "c2"), pattern))
        .containsInAnyOrder("k: a=a2 c=c2");
    p.run();
  }

  /** notFollowedBy between two steps forbids a satisfying event anywhere in between. */
  @Test
  public void notFollowedByForbidsEventsInBetween() {
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .notFollowedBy("x")
            .where(kind("x"))
            .followedBy("c")
            .where(kind("c"));
    PAssert.that(matches(minuteByMinute("a1", "b1", "x1", "c1", "a2", "b2", "c2"), pattern))
        .containsInAnyOrder("k: a=a2 c=c2");
    p.run();
  }

  /**
   * A trailing notFollowedBy with within completes once the window passed without the event; an
   * event exactly at the window's end still counts.
   */
  @Test
  public void trailingNotFollowedByIsAbsenceWithinWindowInclusive() {
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .notFollowedBy("x")
            .where(kind("x"))
            .within(TEN_MINUTES);
    TestStream<KV<String, String>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .addElements(event(K, "a1", "12:00"), event(K, "x1", "12:10")) // x at the boundary
            .addElements(event(K, "a2", "13:00"), event(K, "x2", "13:11")) // x one minute after
            .advanceWatermarkToInfinity();
    PAssert.that(matches(events, pattern)).containsInAnyOrder("k: a=a2");
    p.run();
  }

  /**
   * within on a positive step: the event counts up to the previous event's time plus the duration
   * (inclusive); otherwise the partial match is emitted as timed out.
   */
  @Test
  public void withinOnStepTimesOutPartialMatch() {
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .followedBy("b")
            .where(kind("b"))
            .within(TEN_MINUTES);
    TestStream<KV<String, String>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .addElements(event(K, "a1", "12:00"), event(K, "b1", "12:10")) // just in time
            .addElements(event(K, "a2", "13:00"), event(K, "b2", "13:11")) // one minute late
            .advanceWatermarkToInfinity();
    MatchPattern.Result<String, String> result =
        p.apply("Events", events).apply("Match", MatchPattern.<String, String>of(pattern));
    PAssert.that(result.matches().apply("Render", MapElements.via(new RenderMatchFn())))
        .containsInAnyOrder("k: a=a1 b=b1");
    PAssert.that(result.timedOut().apply("RenderTimedOut", MapElements.via(new RenderTimedOutFn())))
        .containsInAnyOrder("a2 waited for b until 2026-01-01T13:10:00.000Z");
    p.run();
  }

  /** times(n) takes exactly n events; every satisfying event starts its own attempt. */
  @Test
  public void timesTakesExactlyNEvents() {
    Pattern<String> pattern = Pattern.<String>begin("a").where(kind("a")).times(3);
    PAssert.that(matches(minuteByMinute("a1", "a2", "x1", "a3", "a4"), pattern))
        .containsInAnyOrder("k: a=a1 a=a2 a=a3", "k: a=a2 a=a3 a=a4");
    p.run();
  }

  /** oneOrMore yields one match per length of the repeated step. */
  @Test
  public void oneOrMoreYieldsEveryLength() {
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .followedBy("b")
            .where(kind("b"))
            .oneOrMore()
            .followedBy("c")
            .where(kind("c"));
    PAssert.that(matches(minuteByMinute("a1", "b1", "x1", "b2", "c1"), pattern))
        .containsInAnyOrder("k: a=a1 b=b1 c=c1", "k: a=a1 b=b1 b=b2 c=c1");
    p.run();
  }

  /** optional yields the match with and without the optional step. */
  @Test
  public void optionalYieldsMatchWithAndWithoutStep() {
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .followedBy("b")
            .where(kind("b"))
            .optional()
            .followedBy("c")
            .where(kind("c"));
    PAssert.that(matches(minuteByMinute("a1", "b1", "c1"), pattern))
        .containsInAnyOrder("k: a=a1 b=b1 c=c1", "k: a=a1 c=c1");
    p.run();
  }

  /**
   * An event behind the watermark is captured with the watermark at its arrival, even for a key
   * that holds no state: this is what shows that {@code Timer.getCurrentRelativeTime()} of an
   * event-time timer reads the input watermark.
   */
  @Test
  public void eventBehindWatermarkOfFreshKeyIsCapturedWithTheWatermark() {
    Pattern<String> pattern =
        Pattern.<String>begin("a").where(kind("a")).followedBy("b").where(kind("b"));
    TestStream<KV<String, String>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .addElements(event("other", "a1", "12:00"))
            // The watermark moves to 12:30.
            .advanceWatermarkTo(at("12:30"))
            // Key k has never been seen: only the watermark can tell that 12:20 is late.
            .addElements(event(K, "a2", "12:20"), event(K, "b2", "12:40"))
            .advanceWatermarkToInfinity();
    MatchPattern.Result<String, String> result =
        p.apply("Events", events).apply("Match", MatchPattern.<String, String>of(pattern));
    PAssert.that(result.late().apply("RenderLate", MapElements.via(new RenderLateFn())))
        .containsInAnyOrder("a2@2026-01-01T12:20:00.000Z wm 2026-01-01T12:30:00.000Z");
    PAssert.that(result.matches()).empty();
    p.run();
  }

  /** With allowed lateness, an event that far behind the watermark is still matched. */
  @Test
  public void allowedLatenessAdmitsSlightlyLateEvents() {
    Pattern<String> pattern =
        Pattern.<String>begin("a").where(kind("a")).followedBy("b").where(kind("b"));
    TestStream<KV<String, String>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .addElements(event(K, "b1", "12:10"))
            // Watermark 12:15: a1 at 12:05 is 10 minutes behind, within 15 minutes of lateness.
            .advanceWatermarkTo(at("12:15"))
            .addElements(event(K, "a1", "12:05"))
            .advanceWatermarkToInfinity();
    MatchPattern.Result<String, String> result =
        p.apply("Events", events)
            .apply(
                "Match",
                MatchPattern.<String, String>of(pattern)
                    .withAllowedLateness(Duration.standardMinutes(15)));
    PAssert.that(result.matches().apply("Render", MapElements.via(new RenderMatchFn())))
        .containsInAnyOrder("k: a=a1 b=b1");
    PAssert.that(result.late()).empty();
    p.run();
  }

  /**
   * Many keys: every key whose pattern can no longer complete has all its state cleared by its
   * event-time timer at the end of its window, while keys with a partial match that can still
   * complete keep theirs.
   */
  @Test
  public void stateIsReleasedForEveryKeyThatCanNoLongerMatch() {
    int keys = 1000;
    Pattern<String> pattern =
        Pattern.<String>begin("a")
            .where(kind("a"))
            .notFollowedBy("x")
            .where(kind("x"))
            .within(TEN_MINUTES);
    TestStream.Builder<KV<String, String>> b =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    for (int i = 0; i < keys; i++) {
      // Every key: an "a" at 12:00 (absence window ends 12:10) and an unrelated event at 12:05.
      b = b.addElements(event("k" + i, "a" + i, "12:00"), event("k" + i, "b" + i, "12:05"));
    }
    // The watermark passes 12:10 for all keys.
    TestStream<KV<String, String>> events =
        b.advanceWatermarkTo(at("12:30")).advanceWatermarkToInfinity();
    p.apply("Events", events).apply("Match", MatchPattern.<String, String>of(pattern));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(MatchPattern.METRICS_NAMESPACE))
                    .build());
    assertEquals("keys still holding state", 0L, counter(metrics, "keysWithState"));
    assertEquals("keys released", keys, counter(metrics, "keysReleased"));
    assertEquals("matches", keys, counter(metrics, "matches"));
    DistributionResult released = distribution(metrics, "stateReleasedAtMillis");
    // Released when the watermark passed 12:10 (it moved to 12:30), not at the end of time.
    assertEquals(at("12:30").getMillis(), released.getMax());
    assertEquals(keys, released.getCount());
    assertEquals(
        "peak events held per key", 2L, distribution(metrics, "eventsHeldPerKey").getMax());
  }

  /** A partial match that can still complete keeps its key's state; the others are released. */
  @Test
  public void partialMatchThatCanStillCompleteKeepsItsState() {
    Pattern<String> pattern =
        Pattern.<String>begin("a").where(kind("a")).followedBy("b").where(kind("b"));
    TestStream<KV<String, String>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .addElements(event("done", "a1", "12:00"), event("done", "b1", "12:01"))
            .addElements(event("waiting", "a2", "12:00"))
            .addElements(event("unrelated", "x1", "12:00"))
            .advanceWatermarkToInfinity();
    p.apply("Events", events).apply("Match", MatchPattern.<String, String>of(pattern));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(MatchPattern.METRICS_NAMESPACE))
                    .build());
    assertEquals("keys still holding state", 1L, counter(metrics, "keysWithState"));
    assertEquals("keys released", 2L, counter(metrics, "keysReleased"));
  }

  private static long counter(MetricQueryResults metrics, String name) {
    return java.util.stream.StreamSupport.stream(metrics.getCounters().spliterator(), false)
        .filter(c -> c.getName().getName().equals(name))
        .mapToLong(c -> c.getCommitted())
        .sum();
  }

  private static DistributionResult distribution(MetricQueryResults metrics, String name) {
    return java.util.stream.StreamSupport.stream(metrics.getDistributions().spliterator(), false)
        .filter(d -> d.getName().getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getCommitted();
  }
}
