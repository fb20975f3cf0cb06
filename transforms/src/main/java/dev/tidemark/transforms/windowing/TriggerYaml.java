package dev.tidemark.transforms.windowing;

import dev.tidemark.core.yaml.YamlMapping;
import dev.tidemark.core.yaml.YamlNode;
import dev.tidemark.transforms.windowing.TriggerGrammar.Keyword;
import dev.tidemark.transforms.windowing.TriggerGrammar.Kind;
import dev.tidemark.transforms.windowing.TriggerGrammar.Syntax;
import dev.tidemark.transforms.windowing.TriggerGrammar.Word;
import dev.tidemark.transforms.windowing.TriggerTerm.Arg;
import dev.tidemark.transforms.windowing.TriggerTerm.Term;
import dev.tidemark.transforms.windowing.TriggerTerm.Terms;
import dev.tidemark.transforms.windowing.TriggerTerm.Text;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML form of a trigger (the scenario files' {@code pipeline.trigger}) into a {@link
 * TriggerTerm}; {@link TriggerGrammar} says which words exist and what each takes.
 *
 * <pre>
 *   default | never | watermark                       a bare word
 *   {after-count: 3}                                  a word and its argument
 *   {after-processing: 2m, aligned-to: "12:01:00"}    keyword arguments beside it
 *   {watermark: {early: T, late: T}}                  ... or under it, for the watermark
 *   {first: [T, ...]}                                 a list of triggers
 *   {repeat: T, until: U}                             until beside any trigger
 * </pre>
 *
 * <p>Errors are the document's (file, line, path), e.g. {@code s.yaml:9: pipeline.trigger: a
 * trigger has exactly one of watermark, after-count, ...; found [after-count, repeat]}.
 */
final class TriggerYaml {

  /** Keywords written beside their word (the words with a positional argument). */
  private static final Set<Keyword> BESIDE = new LinkedHashSet<>();

  /** Every key a trigger mapping may have. */
  private static final Set<String> KEYS = new LinkedHashSet<>();

  static {
    for (Word w : Word.values()) {
      if (w.takesArguments()) {
        KEYS.add(w.name(Syntax.YAML));
        if (w.argument() != null) {
          BESIDE.addAll(w.keywords());
        }
      }
    }
    BESIDE.forEach(k -> KEYS.add(k.name(Syntax.YAML)));
    KEYS.add(Word.UNTIL.name(Syntax.YAML));
  }

  private TriggerYaml() {}

  /** The term written at {@code node}, its values not checked yet. */
  static TriggerTerm term(YamlNode node) {
    if (node.isScalar()) {
      String name = node.scalar().strip();
      Word word = Word.named(Syntax.YAML, name);
      if (word == null || !word.isBare()) {
        throw node.error(TriggerGrammar.unknownTrigger(Syntax.YAML, name));
      }
      return new TriggerTerm(Syntax.YAML, word, List.of(), Map.of(), node::error);
    }
    YamlMapping t = node.mapping(KEYS);
    Set<String> main = new HashSet<>(t.keys());
    main.remove(Word.UNTIL.name(Syntax.YAML));
    BESIDE.forEach(k -> main.remove(k.name(Syntax.YAML)));
    if (main.size() != 1) {
      throw node.error(TriggerGrammar.notExactlyOneWord(Syntax.YAML, main));
    }
    String name = main.iterator().next();
    Word word = Word.named(Syntax.YAML, name);
    for (Keyword k : BESIDE) {
      YamlNode value = t.get(k.name(Syntax.YAML));
      if (value != null && !word.keywords().contains(k)) {
        throw node.document()
            .error(value.line(), node.path(), TriggerGrammar.misplacedKeyword(Syntax.YAML, k));
      }
    }
    YamlNode arg = t.get(name);
    List<Arg> arguments = new ArrayList<>();
    Map<Keyword, Arg> keywords = new LinkedHashMap<>();
    if (word.argument() != null) {
      arguments.add(argument(word.argument(), arg));
      for (Keyword k : word.keywords()) {
        YamlNode value = t.get(k.name(Syntax.YAML));
        if (value != null) {
          keywords.put(k, argument(k.kind(), value));
        }
      }
    } else if (!isEmpty(arg)) {
      // {watermark: {early: T, late: T}}
      Set<String> names = new LinkedHashSet<>();
      word.keywords().forEach(k -> names.add(k.name(Syntax.YAML)));
      YamlMapping m = arg.mapping(names);
      for (Keyword k : word.keywords()) {
        YamlNode value = m.get(k.name(Syntax.YAML));
        if (value != null) {
          keywords.put(k, argument(k.kind(), value));
        }
      }
    }
    TriggerTerm term = new TriggerTerm(Syntax.YAML, word, arguments, keywords, node::error);
    YamlNode until = t.get(Word.UNTIL.name(Syntax.YAML));
    if (until != null) {
      term =
          new TriggerTerm(
              Syntax.YAML,
              Word.UNTIL,
              List.of(new Term(term), new Term(term(until))),
              Map.of(),
              until::error);
    }
    return term;
  }

  private static Arg argument(Kind kind, YamlNode node) {
    return switch (kind) {
      case TRIGGER -> new Term(term(node));
      case TRIGGERS -> {
        List<TriggerTerm> terms = new ArrayList<>();
        for (YamlNode item : node.list()) {
          terms.add(term(item));
        }
        yield new Terms(terms, node::error);
      }
      default -> new Text(node.scalar(), node::error);
    };
  }

  /** {@code watermark:} with nothing or {@code null} after it: the bare watermark. */
  private static boolean isEmpty(YamlNode node) {
    return node.isScalar() && (node.scalar().isEmpty() || node.scalar().equals("null"));
  }
}
