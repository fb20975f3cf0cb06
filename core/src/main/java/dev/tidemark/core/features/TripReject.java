package dev.tidemark.core.features;

import java.io.Serializable;
import java.util.Objects;

/**
 * A raw trip line that preprocessing rejected, with the rule it broke.
 *
 * @param rule the first rule the line broke
 * @param detail one sentence with the specifics (e.g. the parse error)
 * @param rawLine the input line exactly as read
 */
public record TripReject(TripRule rule, String detail, String rawLine) implements Serializable {
  private static final long serialVersionUID = 1L;

  public TripReject {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(rawLine, "rawLine");
  }

  /** A single-line rendering for files: {@code RULE<TAB>detail<TAB>raw line}. */
  public String toLine() {
    return rule.name() + '\t' + detail.replace('\t', ' ') + '\t' + rawLine;
  }
}
