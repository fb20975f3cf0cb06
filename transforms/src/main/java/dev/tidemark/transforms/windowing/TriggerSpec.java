package dev.tidemark.transforms.windowing;

import dev.tidemark.core.time.Durations;
import dev.tidemark.core.yaml.YamlNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.windowing.AfterAll;
import org.apache.beam.sdk.transforms.windowing.AfterEach;
import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Trigger.OnceTrigger;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * When in processing time a window's result is emitted: every Beam trigger, plus the data-driven
 * trigger that Beam Java lacks ({@link OnMatch}: fire when an element matching a predicate
 * arrives).
 *
 * <p>Text form (round-trips through {@link #parse} and {@code toString()}):
 *
 * <pre>
 *   default                                   DefaultTrigger: repeatedly at the watermark
 *   watermark                                 AfterWatermark.pastEndOfWindow()
 *   watermark(early=T, late=T)                ... with early and/or late firings
 *   count(3)                                  AfterPane.elementCountAtLeast(3)
 *   processing(1m)                            AfterProcessingTime.pastFirstElementInPane().plusDelayOf(1m)
 *   processing(2m, aligned=2026-01-01T12:05:00Z)   ... .alignedTo(2m, that instant)
 *   tag(checkout)                             data-driven: an element tagged "checkout" arrived
 *   repeat(T)   first(T, ...)   all(T, ...)   sequence(T, ...)   never
 *   T.until(U)                                T.orFinally(U)
 * </pre>
 *
 * <p>Scenario files write the same triggers in YAML ({@code {watermark: {early: {after-processing:
 * 1m}}}}, {@link #parse(YamlNode)}); both forms are read through the one vocabulary of {@link
 * TriggerGrammar}, so they give equal specs and the same messages.
 *
 * <p>{@link #toBeam()} gives exactly Beam's trigger; specs containing {@link OnMatch} have none and
 * run on Tidemark's own trigger engine ({@link dev.tidemark.transforms.panes.ComputePanes}).
 */
public sealed interface TriggerSpec extends Serializable {

  /** Beam's trigger for this spec. */
  Trigger toBeam();

  /** Whether this spec or one of its children is data-driven (has no Beam equivalent). */
  default boolean isDataDriven() {
    return false;
  }

  /** Beam's default: fire when the watermark passes the end of the window, and for late data. */
  record Default() implements TriggerSpec {
    @Override
    public Trigger toBeam() {
      return DefaultTrigger.of();
    }

    @Override
    public String toString() {
      return "default";
    }
  }

  /** Never fires by itself (only at window expiry, per the closing behaviour). */
  record NeverFires() implements TriggerSpec {
    @Override
    public Trigger toBeam() {
      return Never.ever();
    }

    @Override
    public String toString() {
      return "never";
    }
  }

  /**
   * Fires when the watermark passes the end of the window; optionally fires early (before) and late
   * (after) with its own triggers, repeated.
   *
   * @param early trigger for early firings, or null
   * @param late trigger for late firings, or null
   */
  record Watermark(TriggerSpec early, TriggerSpec late) implements TriggerSpec {
    @Override
    public Trigger toBeam() {
      AfterWatermark.FromEndOfWindow base = AfterWatermark.pastEndOfWindow();
      if (early == null && late == null) {
        return base;
      }
      if (early == null) {
        return base.withLateFirings(once(late, "late firings"));
      }
      AfterWatermark.AfterWatermarkEarlyAndLate t =
          base.withEarlyFirings(once(early, "early firings"));
      return late == null ? t : t.withLateFirings(once(late, "late firings"));
    }

    @Override
    public boolean isDataDriven() {
      return (early != null && early.isDataDriven()) || (late != null && late.isDataDriven());
    }

    @Override
    public String toString() {
      if (early == null && late == null) {
        return "watermark";
      }
      List<String> parts = new ArrayList<>();
      if (early != null) {
        parts.add("early=" + early);
      }
      if (late != null) {
        parts.add("late=" + late);
      }
      return "watermark(" + String.join(", ", parts) + ")";
    }
  }

  /** Fires once at least {@code count} elements are in the pane. */
  record AfterCount(int count) implements TriggerSpec {
    public AfterCount {
      if (count < 1) {
        throw new IllegalArgumentException("count trigger needs at least 1 element, got " + count);
      }
    }

    @Override
    public Trigger toBeam() {
      return AfterPane.elementCountAtLeast(count);
    }

    @Override
    public String toString() {
      return "count(" + count + ")";
    }
  }

  /**
   * Fires {@code delay} of processing time after the first element of the pane; when {@code
   * alignedTo} is set, at the next instant {@code alignedTo + k * delay} instead.
   */
  record AfterProcessing(Duration delay, Instant alignedTo) implements TriggerSpec {
    public AfterProcessing {
      Objects.requireNonNull(delay, "delay");
    }

    @Override
    public Trigger toBeam() {
      AfterProcessingTime t = AfterProcessingTime.pastFirstElementInPane();
      return alignedTo == null ? t.plusDelayOf(delay) : t.alignedTo(delay, alignedTo);
    }

    @Override
    public String toString() {
      return alignedTo == null
          ? "processing(" + Durations.format(BeamDurations.toJava(delay)) + ")"
          : "processing("
              + Durations.format(BeamDurations.toJava(delay))
              + ", aligned="
              + alignedTo
              + ")";
    }
  }

  /**
   * Data-driven: fires when an element matching {@code predicate} arrives (the deck's "specific
   * data in the event"). Beam has no such trigger; Tidemark's trigger engine runs it.
   *
   * @param predicate tests the element's value
   * @param description how the predicate reads in text, e.g. {@code tag(checkout)}
   */
  record OnMatch(ElementPredicate predicate, String description) implements TriggerSpec {
    @Override
    public Trigger toBeam() {
      throw new UnsupportedOperationException(
          "the data-driven trigger " + description + " has no Beam equivalent");
    }

    @Override
    public boolean isDataDriven() {
      return true;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** Fires every time {@code child} fires, forever. */
  record Repeat(TriggerSpec child) implements TriggerSpec {
    @Override
    public Trigger toBeam() {
      return Repeatedly.forever(child.toBeam());
    }

    @Override
    public boolean isDataDriven() {
      return child.isDataDriven();
    }

    @Override
    public String toString() {
      return "repeat(" + child + ")";
    }
  }

  /** Fires when the first of its children fires (logical OR, Beam's {@code AfterFirst}). */
  record First(List<TriggerSpec> children) implements TriggerSpec {
    public First {
      children = List.copyOf(children);
    }

    @Override
    public Trigger toBeam() {
      return AfterFirst.of(onceAll(children, "first(...)"));
    }

    @Override
    public boolean isDataDriven() {
      return children.stream().anyMatch(TriggerSpec::isDataDriven);
    }

    @Override
    public String toString() {
      return "first(" + join(children) + ")";
    }
  }

  /** Fires when all of its children have fired (logical AND, Beam's {@code AfterAll}). */
  record All(List<TriggerSpec> children) implements TriggerSpec {
    public All {
      children = List.copyOf(children);
    }

    @Override
    public Trigger toBeam() {
      return AfterAll.of(onceAll(children, "all(...)"));
    }

    @Override
    public boolean isDataDriven() {
      return children.stream().anyMatch(TriggerSpec::isDataDriven);
    }

    @Override
    public String toString() {
      return "all(" + join(children) + ")";
    }
  }

  /** Runs its children one after the other (Beam's {@code AfterEach.inOrder}). */
  record Sequence(List<TriggerSpec> children) implements TriggerSpec {
    public Sequence {
      children = List.copyOf(children);
    }

    @Override
    public Trigger toBeam() {
      return AfterEach.inOrder(children.stream().map(TriggerSpec::toBeam).toArray(Trigger[]::new));
    }

    @Override
    public boolean isDataDriven() {
      return children.stream().anyMatch(TriggerSpec::isDataDriven);
    }

    @Override
    public String toString() {
      return "sequence(" + join(children) + ")";
    }
  }

  /**
   * Fires like {@code main} until {@code until} fires, then finishes (Beam's {@code orFinally}).
   */
  record Until(TriggerSpec main, TriggerSpec until) implements TriggerSpec {
    @Override
    public Trigger toBeam() {
      return main.toBeam().orFinally(once(until, ".until(...)"));
    }

    @Override
    public boolean isDataDriven() {
      return main.isDataDriven() || until.isDataDriven();
    }

    @Override
    public String toString() {
      return main + ".until(" + until + ")";
    }
  }

  /** A serializable test on an element's value, for {@link OnMatch}. */
  @FunctionalInterface
  interface ElementPredicate extends Serializable {
    boolean test(Object value);
  }

  /** An element that carries a tag, which {@link #onTag} triggers look at. */
  interface Tagged {
    /** The element's tag, or null. */
    String tag();
  }

  // ----- factories -----

  static TriggerSpec defaultTrigger() {
    return new Default();
  }

  static TriggerSpec watermark() {
    return new Watermark(null, null);
  }

  static TriggerSpec watermark(TriggerSpec early, TriggerSpec late) {
    return new Watermark(early, late);
  }

  static TriggerSpec afterCount(int n) {
    return new AfterCount(n);
  }

  static TriggerSpec afterProcessing(Duration delay) {
    return new AfterProcessing(delay, null);
  }

  static TriggerSpec afterProcessingAligned(Duration period, Instant alignedTo) {
    return new AfterProcessing(period, alignedTo);
  }

  /** Fires when an element whose {@link Tagged#tag()} equals {@code tag} arrives. */
  static TriggerSpec onTag(String tag) {
    return new OnMatch(new TagEquals(tag), "tag(" + tag + ")");
  }

  /** Fires when an element matching {@code predicate} arrives; {@code description} names it. */
  static TriggerSpec onMatch(ElementPredicate predicate, String description) {
    return new OnMatch(predicate, description);
  }

  static TriggerSpec repeat(TriggerSpec child) {
    return new Repeat(child);
  }

  static TriggerSpec first(TriggerSpec... children) {
    return new First(List.of(children));
  }

  static TriggerSpec all(TriggerSpec... children) {
    return new All(List.of(children));
  }

  static TriggerSpec sequence(TriggerSpec... children) {
    return new Sequence(List.of(children));
  }

  static TriggerSpec never() {
    return new NeverFires();
  }

  /** Parses the text form; see the interface Javadoc. */
  static TriggerSpec parse(String text) {
    return TriggerSpecParser.parse(text);
  }

  /**
   * Reads the YAML form of the scenario files ({@code {after-count: 3}}, see {@link
   * TriggerGrammar}); {@code aligned-to} takes an ISO-8601 instant.
   */
  static TriggerSpec parse(YamlNode node) {
    return parse(node, TriggerGrammar.Alignment.iso());
  }

  /** Reads the YAML form, with {@code aligned-to} instants read by {@code alignment}. */
  static TriggerSpec parse(YamlNode node, TriggerGrammar.Alignment alignment) {
    return TriggerGrammar.build(TriggerYaml.term(node), alignment);
  }

  /** The predicate of {@link #onTag}: the element is {@link Tagged} with this tag. */
  record TagEquals(String tag) implements ElementPredicate {
    @Override
    public boolean test(Object value) {
      return value instanceof Tagged t && tag.equals(t.tag());
    }
  }

  private static OnceTrigger once(TriggerSpec spec, String where) {
    Trigger t = spec.toBeam();
    if (t instanceof OnceTrigger o) {
      return o;
    }
    throw new IllegalArgumentException(
        where
            + " need a trigger that fires once (count, processing, watermark, first, all), not "
            + spec);
  }

  private static OnceTrigger[] onceAll(List<TriggerSpec> specs, String where) {
    OnceTrigger[] out = new OnceTrigger[specs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = once(specs.get(i), "children of " + where);
    }
    return out;
  }

  private static String join(List<TriggerSpec> specs) {
    return String.join(", ", specs.stream().map(Object::toString).toList());
  }
}
