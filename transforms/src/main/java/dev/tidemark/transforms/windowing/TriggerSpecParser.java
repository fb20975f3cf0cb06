package dev.tidemark.transforms.windowing;

import dev.tidemark.transforms.windowing.TriggerGrammar.Keyword;
import dev.tidemark.transforms.windowing.TriggerGrammar.Kind;
import dev.tidemark.transforms.windowing.TriggerGrammar.Syntax;
import dev.tidemark.transforms.windowing.TriggerGrammar.Word;
import dev.tidemark.transforms.windowing.TriggerTerm.Arg;
import dev.tidemark.transforms.windowing.TriggerTerm.Term;
import dev.tidemark.transforms.windowing.TriggerTerm.Terms;
import dev.tidemark.transforms.windowing.TriggerTerm.Text;
import dev.tidemark.transforms.windowing.TriggerTerm.Where;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent reader of {@link TriggerSpec}'s text form into a {@link TriggerTerm}; {@link
 * TriggerGrammar} says which words exist and what each takes. Text arguments (a count, a duration,
 * a tag, an instant) run to the closing parenthesis, or to the next comma when another argument may
 * follow. Errors read {@code bad trigger 'count(x)' at character 7: 'x' is not a whole number of
 * elements}.
 */
final class TriggerSpecParser {
  private final String text;
  private int pos;

  private TriggerSpecParser(String text) {
    this.text = text;
  }

  /** The spec written as {@code text}. */
  static TriggerSpec parse(String text) {
    return TriggerGrammar.build(term(text), TriggerGrammar.Alignment.iso());
  }

  /** The term written as {@code text}, its values not checked yet. */
  static TriggerTerm term(String text) {
    TriggerSpecParser p = new TriggerSpecParser(text);
    TriggerTerm term = p.trigger();
    p.skipSpaces();
    if (p.pos != text.length()) {
      throw p.error("unexpected '" + text.substring(p.pos) + "'");
    }
    return term;
  }

  private TriggerTerm trigger() {
    TriggerTerm t = primary();
    skipSpaces();
    while (text.startsWith(".until(", pos)) {
      Where at = at(pos + 1);
      pos += ".until(".length();
      TriggerTerm until = trigger();
      expect(')');
      t =
          new TriggerTerm(
              Syntax.TEXT, Word.UNTIL, List.of(new Term(t), new Term(until)), Map.of(), at);
      skipSpaces();
    }
    return t;
  }

  private TriggerTerm primary() {
    skipSpaces();
    Where at = at(pos);
    String name = word();
    Word word = Word.named(Syntax.TEXT, name);
    if (word == null) {
      throw error(TriggerGrammar.unknownTrigger(Syntax.TEXT, name));
    }
    List<Arg> arguments = new ArrayList<>();
    Map<Keyword, Arg> keywords = new LinkedHashMap<>();
    if (word.argument() != null) {
      expect('(');
      arguments.add(argument(word.argument(), !word.keywords().isEmpty()));
      if (!word.keywords().isEmpty() && comma()) {
        keywords(word, keywords);
      }
      expect(')');
    } else if (!word.keywords().isEmpty()) {
      // watermark alone, or watermark(early=T, late=T)
      skipSpaces();
      if (peek('(')) {
        pos++;
        keywords(word, keywords);
        expect(')');
      }
    }
    return new TriggerTerm(Syntax.TEXT, word, arguments, keywords, at);
  }

  /** {@code key=value, ...}; a later value of the same key replaces the earlier one. */
  private void keywords(Word word, Map<Keyword, Arg> into) {
    do {
      String name = word();
      Keyword keyword = Keyword.named(Syntax.TEXT, name);
      if (keyword == null || !word.keywords().contains(keyword)) {
        throw error(TriggerGrammar.unknownKeyword(word, name));
      }
      expect('=');
      into.put(keyword, argument(keyword.kind(), word.keywords().size() > 1));
    } while (comma());
  }

  /** One argument of {@code kind}; text runs to ')' or, when {@code more} may follow, to ','. */
  private Arg argument(Kind kind, boolean more) {
    return switch (kind) {
      case TRIGGER -> new Term(trigger());
      case TRIGGERS -> {
        skipSpaces();
        Where at = at(pos);
        List<TriggerTerm> terms = new ArrayList<>();
        do {
          terms.add(trigger());
        } while (comma());
        yield new Terms(terms, at);
      }
      default -> {
        int start = pos;
        String value = more ? untilAny(",)") : untilAny(")");
        int first = start + (value.length() - value.stripLeading().length());
        yield new Text(value, at(first));
      }
    };
  }

  private String word() {
    skipSpaces();
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-')) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a trigger name");
    }
    return text.substring(start, pos);
  }

  private String untilAny(String ends) {
    int start = pos;
    while (pos < text.length() && ends.indexOf(text.charAt(pos)) < 0) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private boolean comma() {
    skipSpaces();
    if (peek(',')) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    skipSpaces();
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpaces() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }

  /** The place at character {@code offset} (0-based) of the text. */
  private Where at(int offset) {
    return problem ->
        new IllegalArgumentException(
            "bad trigger '" + text + "' at character " + (offset + 1) + ": " + problem);
  }

  private IllegalArgumentException error(String what) {
    return at(pos).error(what);
  }
}
