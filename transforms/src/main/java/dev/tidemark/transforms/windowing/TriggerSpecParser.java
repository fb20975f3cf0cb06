package dev.tidemark.transforms.windowing;

import dev.tidemark.core.time.Durations;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;

/** Recursive-descent parser of {@link TriggerSpec}'s text form. */
final class TriggerSpecParser {
  private final String text;
  private int pos;

  private TriggerSpecParser(String text) {
    this.text = text;
  }

  static TriggerSpec parse(String text) {
    TriggerSpecParser p = new TriggerSpecParser(text);
    TriggerSpec spec = p.trigger();
    p.skipSpaces();
    if (p.pos != text.length()) {
      throw p.error("unexpected '" + text.substring(p.pos) + "'");
    }
    return spec;
  }

  private TriggerSpec trigger() {
    TriggerSpec t = primary();
    skipSpaces();
    while (text.startsWith(".until(", pos)) {
      pos += ".until(".length();
      TriggerSpec until = trigger();
      expect(')');
      t = new TriggerSpec.Until(t, until);
      skipSpaces();
    }
    return t;
  }

  private TriggerSpec primary() {
    String name = word();
    switch (name) {
      case "default":
        return TriggerSpec.defaultTrigger();
      case "never":
        return TriggerSpec.never();
      case "watermark":
        {
          skipSpaces();
          if (!peek('(')) {
            return TriggerSpec.watermark();
          }
          pos++;
          TriggerSpec early = null;
          TriggerSpec late = null;
          do {
            String key = word();
            expect('=');
            TriggerSpec value = trigger();
            switch (key) {
              case "early" -> early = value;
              case "late" -> late = value;
              default -> throw error("watermark takes early= and late=, not " + key + "=");
            }
          } while (comma());
          expect(')');
          return TriggerSpec.watermark(early, late);
        }
      case "count":
        {
          expect('(');
          String n = until(')');
          expect(')');
          try {
            return TriggerSpec.afterCount(Integer.parseInt(n.strip()));
          } catch (NumberFormatException e) {
            throw error("count(N) needs a whole number, got '" + n + "'");
          }
        }
      case "processing":
        {
          expect('(');
          String delay = untilAny(",)");
          Instant aligned = null;
          if (comma()) {
            String key = word();
            if (!key.equals("aligned")) {
              throw error("processing takes aligned=INSTANT, not " + key + "=");
            }
            expect('=');
            aligned = Instant.parse(until(')').strip());
          }
          expect(')');
          return new TriggerSpec.AfterProcessing(
              BeamDurations.toJoda(Durations.parse(delay.strip())), aligned);
        }
      case "tag":
        {
          expect('(');
          String tag = until(')').strip();
          expect(')');
          return TriggerSpec.onTag(tag);
        }
      case "repeat":
        {
          expect('(');
          TriggerSpec child = trigger();
          expect(')');
          return TriggerSpec.repeat(child);
        }
      case "first":
        return new TriggerSpec.First(list());
      case "all":
        return new TriggerSpec.All(list());
      case "sequence":
        return new TriggerSpec.Sequence(list());
      default:
        throw error(
            "unknown trigger '"
                + name
                + "' (expected default, watermark, count, processing, tag, repeat, first, all,"
                + " sequence, never)");
    }
  }

  private List<TriggerSpec> list() {
    expect('(');
    List<TriggerSpec> out = new ArrayList<>();
    do {
      out.add(trigger());
    } while (comma());
    expect(')');
    return out;
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

  private String until(char end) {
    return untilAny(String.valueOf(end));
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

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "bad trigger '" + text + "' at character " + (pos + 1) + ": " + what);
  }
}
