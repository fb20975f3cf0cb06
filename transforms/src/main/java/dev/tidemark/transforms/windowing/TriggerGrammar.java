package dev.tidemark.transforms.windowing;

import dev.tidemark.core.time.Durations;
import dev.tidemark.transforms.windowing.TriggerTerm.Arg;
import dev.tidemark.transforms.windowing.TriggerTerm.Term;
import dev.tidemark.transforms.windowing.TriggerTerm.Terms;
import dev.tidemark.transforms.windowing.TriggerTerm.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The one definition of the trigger vocabulary, shared by the two ways of writing a trigger: the
 * text form of {@link TriggerSpec#parse(String)} ({@code watermark(early=processing(1m),
 * late=count(1))}) and the YAML form of the scenario files ({@code {watermark: {early:
 * {after-processing: 1m}, late: {after-count: 1}}}}).
 *
 * <pre>
 *   text                     YAML                                 argument
 *   default                  default                              -
 *   never                    never                                -
 *   watermark(early=, late=) watermark / {watermark: {early:, late:}}   keywords: triggers
 *   count(N)                 {after-count: N}                     a whole number of elements, 1+
 *   processing(D, aligned=I) {after-processing: D, aligned-to: I} a duration; an instant
 *   tag(T)                   {on-tag: T}                          a tag
 *   repeat(T)                {repeat: T}                          a trigger
 *   first(T, ...)            {first: [T, ...]}                    a non-empty list of triggers
 *   all(T, ...)              {all: [T, ...]}                      a non-empty list of triggers
 *   sequence(T, ...)         {sequence: [T, ...]}                 a non-empty list of triggers
 *   T.until(U)               {..., until: U}                      a trigger
 * </pre>
 *
 * <p>Each syntax only reads its structure into a {@link TriggerTerm} (the word, its arguments as
 * written, where it was written); {@link #build} turns every term into a {@link TriggerSpec} with
 * all the checks of argument values, so that a trigger means the same and is refused with the same
 * words whichever way it is written. Names, aliases ({@code count} is {@code after-count} in YAML),
 * argument kinds and which keyword belongs to which trigger are the {@link Word} and {@link
 * Keyword} tables below; nothing else spells them.
 */
public final class TriggerGrammar {

  private TriggerGrammar() {}

  /** The two concrete syntaxes; they differ only in how names are spelled and nested. */
  enum Syntax {
    /** {@code count(3)}: {@link TriggerSpec#parse(String)}. */
    TEXT,
    /** {@code {after-count: 3}}: scenario files. */
    YAML
  }

  /** What an argument is written as, and how its value is checked. */
  enum Kind {
    /** A whole number of elements, at least 1. */
    COUNT(true),
    /** A duration of the one grammar ({@link Durations}). */
    DURATION(true),
    /** A tag that elements carry. */
    TAG(true),
    /** An instant, read by the syntax's {@link Alignment}. */
    INSTANT(true),
    /** One trigger. */
    TRIGGER(false),
    /** A non-empty list of triggers. */
    TRIGGERS(false);

    private final boolean text;

    Kind(boolean text) {
      this.text = text;
    }

    /** Whether the argument is written as plain text rather than as trigger(s). */
    boolean isText() {
      return text;
    }
  }

  /** A named argument: early and late firings of the watermark, alignment of processing time. */
  enum Keyword {
    EARLY("early", "early", Kind.TRIGGER),
    LATE("late", "late", Kind.TRIGGER),
    ALIGNED("aligned", "aligned-to", Kind.INSTANT);

    private final String text;
    private final String yaml;
    private final Kind kind;

    Keyword(String text, String yaml, Kind kind) {
      this.text = text;
      this.yaml = yaml;
      this.kind = kind;
    }

    /** The keyword as spelled in {@code syntax}. */
    String name(Syntax syntax) {
      return syntax == Syntax.TEXT ? text : yaml;
    }

    /** What its value is. */
    Kind kind() {
      return kind;
    }

    /** The word that takes this keyword. */
    Word owner() {
      for (Word w : Word.values()) {
        if (w.keywords().contains(this)) {
          return w;
        }
      }
      throw new AssertionError("every keyword belongs to a word: " + this);
    }

    /** The keyword spelled {@code name} in {@code syntax}, or null. */
    static Keyword named(Syntax syntax, String name) {
      for (Keyword k : values()) {
        if (k.name(syntax).equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  /** A trigger word, in the order messages list them. */
  enum Word {
    DEFAULT("default", "default", null),
    NEVER("never", "never", null),
    WATERMARK("watermark", "watermark", null, Keyword.EARLY, Keyword.LATE),
    COUNT("count", "after-count", Kind.COUNT),
    PROCESSING("processing", "after-processing", Kind.DURATION, Keyword.ALIGNED),
    TAG("tag", "on-tag", Kind.TAG),
    REPEAT("repeat", "repeat", Kind.TRIGGER),
    FIRST("first", "first", Kind.TRIGGERS),
    ALL("all", "all", Kind.TRIGGERS),
    SEQUENCE("sequence", "sequence", Kind.TRIGGERS),
    /** A modifier of the trigger before it ({@code T.until(U)}; {@code until:} beside it). */
    UNTIL("until", "until", Kind.TRIGGER);

    private final String text;
    private final String yaml;
    private final Kind argument;
    private final List<Keyword> keywords;

    Word(String text, String yaml, Kind argument, Keyword... keywords) {
      this.text = text;
      this.yaml = yaml;
      this.argument = argument;
      this.keywords = List.of(keywords);
    }

    /** The word as spelled in {@code syntax}. */
    String name(Syntax syntax) {
      return syntax == Syntax.TEXT ? text : yaml;
    }

    /** Its one positional argument, or null when it has none. */
    Kind argument() {
      return argument;
    }

    /** Its keywords, possibly none; all optional. */
    List<Keyword> keywords() {
      return keywords;
    }

    /** Whether it modifies the trigger before it rather than standing alone. */
    boolean isModifier() {
      return this == UNTIL;
    }

    /** Whether it can be written alone, without any argument. */
    boolean isBare() {
      return argument == null && !isModifier();
    }

    /** Whether it is a trigger of its own that takes arguments. */
    boolean takesArguments() {
      return !isModifier() && (argument != null || !keywords.isEmpty());
    }

    /** The trigger (not modifier) spelled {@code name} in {@code syntax}, or null. */
    static Word named(Syntax syntax, String name) {
      for (Word w : values()) {
        if (!w.isModifier() && w.name(syntax).equals(name)) {
          return w;
        }
      }
      return null;
    }

    /** The names of the words matching a test, in table order. */
    static List<String> names(Syntax syntax, java.util.function.Predicate<Word> test) {
      return Arrays.stream(values()).filter(test).map(w -> w.name(syntax)).toList();
    }
  }

  /**
   * How a syntax reads the instant of {@code aligned=}/{@code aligned-to:}: the text form takes an
   * ISO-8601 instant ({@link #iso()}); scenario files also take a time of day on their start day
   * and keep the alignment at or before their start.
   */
  @FunctionalInterface
  public interface Alignment {
    /**
     * The instant that processing-time firings every {@code period} are aligned to.
     *
     * @throws IllegalArgumentException with a one-sentence message when {@code text} is not one
     */
    Instant alignedTo(String text, Duration period);

    /** ISO-8601 instants, as Joda reads them ({@code 2026-01-01T12:05:00Z}). */
    static Alignment iso() {
      return (text, period) -> {
        try {
          return Instant.parse(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "'" + text + "' is not an ISO-8601 instant such as 2026-01-01T12:05:00Z");
        }
      };
    }
  }

  // ----- terms to specs: every check of argument values -----

  /** The spec a term stands for; every problem is raised at the place of the term it concerns. */
  static TriggerSpec build(TriggerTerm term, Alignment alignment) {
    return switch (term.word()) {
      case DEFAULT -> TriggerSpec.defaultTrigger();
      case NEVER -> TriggerSpec.never();
      case WATERMARK ->
          TriggerSpec.watermark(
              keyword(term, Keyword.EARLY, alignment), keyword(term, Keyword.LATE, alignment));
      case COUNT -> count(text(term, 0));
      case PROCESSING -> {
        Duration delay = duration(text(term, 0));
        Arg aligned = term.keywords().get(Keyword.ALIGNED);
        if (aligned == null) {
          yield TriggerSpec.afterProcessing(delay);
        }
        yield TriggerSpec.afterProcessingAligned(delay, instant((Text) aligned, delay, alignment));
      }
      case TAG -> TriggerSpec.onTag(text(term, 0).text().strip());
      case REPEAT -> TriggerSpec.repeat(build(term(term, 0), alignment));
      case FIRST -> new TriggerSpec.First(list(term, alignment));
      case ALL -> new TriggerSpec.All(list(term, alignment));
      case SEQUENCE -> new TriggerSpec.Sequence(list(term, alignment));
      case UNTIL ->
          new TriggerSpec.Until(build(term(term, 0), alignment), build(term(term, 1), alignment));
    };
  }

  private static TriggerSpec keyword(TriggerTerm term, Keyword keyword, Alignment alignment) {
    Arg arg = term.keywords().get(keyword);
    return arg == null ? null : build(((Term) arg).term(), alignment);
  }

  private static TriggerSpec count(Text arg) {
    String text = arg.text().strip();
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw arg.at().error("'" + text + "' is not a whole number of elements");
    }
    try {
      return TriggerSpec.afterCount(n);
    } catch (IllegalArgumentException e) {
      throw arg.at().error(e.getMessage());
    }
  }

  private static Duration duration(Text arg) {
    try {
      return BeamDurations.toJoda(Durations.parse(arg.text().strip()));
    } catch (IllegalArgumentException e) {
      throw arg.at().error(e.getMessage());
    }
  }

  private static Instant instant(Text arg, Duration period, Alignment alignment) {
    try {
      return alignment.alignedTo(arg.text().strip(), period);
    } catch (IllegalArgumentException e) {
      throw arg.at().error(e.getMessage());
    }
  }

  private static List<TriggerSpec> list(TriggerTerm term, Alignment alignment) {
    Terms arg = (Terms) term.arguments().get(0);
    if (arg.terms().isEmpty()) {
      throw arg.at().error("an empty list of triggers");
    }
    List<TriggerSpec> out = new ArrayList<>();
    for (TriggerTerm t : arg.terms()) {
      out.add(build(t, alignment));
    }
    return out;
  }

  private static Text text(TriggerTerm term, int i) {
    return (Text) term.arguments().get(i);
  }

  private static TriggerTerm term(TriggerTerm term, int i) {
    return ((Term) term.arguments().get(i)).term();
  }

  // ----- the vocabulary's messages, spelled in the syntax at hand -----

  /**
   * "unknown trigger 'after' (expected default, never, watermark, count, ...)"; in YAML, where only
   * the bare words can be single values, the expected ones and a mapping.
   */
  static String unknownTrigger(Syntax syntax, String name) {
    if (syntax == Syntax.TEXT) {
      return "unknown trigger '"
          + name
          + "' (expected "
          + String.join(", ", Word.names(syntax, w -> !w.isModifier()))
          + ")";
    }
    return "unknown trigger '"
        + name
        + "' (expected "
        + String.join(", ", Word.names(syntax, Word::isBare))
        + ", or a mapping such as {"
        + Word.COUNT.name(syntax)
        + ": 3})";
  }

  /** "watermark takes early= and late=, not x=": a keyword the word does not take (text). */
  static String unknownKeyword(Word word, String name) {
    return word.name(Syntax.TEXT)
        + " takes "
        + word.keywords().stream()
            .map(k -> k.name(Syntax.TEXT) + "=")
            .collect(Collectors.joining(" and "))
        + ", not "
        + name
        + "=";
  }

  /** "'aligned-to' belongs to after-processing": a keyword beside the wrong word (YAML). */
  static String misplacedKeyword(Syntax syntax, Keyword keyword) {
    return "'" + keyword.name(syntax) + "' belongs to " + keyword.owner().name(syntax);
  }

  /** "a trigger has exactly one of watermark, after-count, ...; found [...]" (YAML). */
  static String notExactlyOneWord(Syntax syntax, Collection<String> found) {
    return "a trigger has exactly one of "
        + String.join(", ", Word.names(syntax, Word::takesArguments))
        + "; found "
        + found;
  }
}
