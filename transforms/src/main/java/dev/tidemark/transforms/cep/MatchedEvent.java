package dev.tidemark.transforms.cep;

import java.util.Objects;
import org.joda.time.Instant;

/**
 * One event of a (partial) match: the step it was taken by, its event time and the event.
 *
 * @param step the name of the step that took it
 * @param timestamp its event time
 * @param event the event
 */
public record MatchedEvent<E>(String step, Instant timestamp, E event) {
  public MatchedEvent {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
