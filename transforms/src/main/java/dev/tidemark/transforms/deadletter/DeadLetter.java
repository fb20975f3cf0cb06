package dev.tidemark.transforms.deadletter;

import java.io.Serializable;
import java.util.Objects;

/**
 * An input that a step could not process, kept with where it came from and why it was rejected.
 * Every step that can fail emits these on a dead-letter output instead of throwing, so that the run
 * keeps going and {@code in = out + dead letters + dropped} can be checked.
 *
 * @param source where the input came from (a file name, a {@code topic/partition@offset}, ...)
 * @param payload the input exactly as received
 * @param reason one sentence saying what is wrong with it
 */
public record DeadLetter(String source, String payload, String reason) implements Serializable {

  public DeadLetter {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(reason, "reason");
  }

  /** A single-line rendering for files and logs: {@code source<TAB>reason<TAB>payload}. */
  public String toLine() {
    return source + '\t' + reason.replace('\t', ' ') + '\t' + payload;
  }
}
