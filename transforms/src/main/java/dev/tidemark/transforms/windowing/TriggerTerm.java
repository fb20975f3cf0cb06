package dev.tidemark.transforms.windowing;

import dev.tidemark.transforms.windowing.TriggerGrammar.Keyword;
import dev.tidemark.transforms.windowing.TriggerGrammar.Syntax;
import dev.tidemark.transforms.windowing.TriggerGrammar.Word;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trigger as written, in either syntax, before its values are checked: the {@link Word}, its
 * positional arguments, its keyword arguments and where it was written. The text form and the
 * scenario YAML both read into terms; {@link TriggerGrammar#build} alone turns terms into {@link
 * TriggerSpec}s. {@code T.until(U)} and {@code {..., until: U}} are the term {@code until} with the
 * arguments {@code T} and {@code U}.
 *
 * @param syntax the syntax it was written in (messages spell names in it)
 * @param word the trigger word
 * @param arguments positional arguments, in order
 * @param keywords keyword arguments
 * @param at where the term was written
 */
record TriggerTerm(
    Syntax syntax, Word word, List<Arg> arguments, Map<Keyword, Arg> keywords, Where at) {

  TriggerTerm {
    arguments = List.copyOf(arguments);
    keywords = Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
  }

  /** A place in the source: raises the syntax's own located error there. */
  @FunctionalInterface
  interface Where {
    /** The error to throw for {@code problem} at this place. */
    IllegalArgumentException error(String problem);
  }

  /** An argument as written. */
  sealed interface Arg permits Text, Term, Terms {
    /** Where the argument was written. */
    Where at();
  }

  /** An argument written as plain text: a count, a duration, a tag, an instant. */
  record Text(String text, Where at) implements Arg {}

  /** An argument that is a trigger. */
  record Term(TriggerTerm term) implements Arg {
    @Override
    public Where at() {
      return term.at();
    }
  }

  /** An argument that is a list of triggers. */
  record Terms(List<TriggerTerm> terms, Where at) implements Arg {
    Terms {
      terms = List.copyOf(terms);
    }
  }
}
