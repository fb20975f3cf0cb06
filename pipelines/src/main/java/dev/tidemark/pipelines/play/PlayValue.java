package dev.tidemark.pipelines.play;

import dev.tidemark.transforms.windowing.TriggerSpec;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The value of one scenario event as it flows through the pipeline: a number or a string, its
 * optional tag (which {@code on-tag} triggers look at) and its event time (which {@code latest}
 * compares).
 *
 * @param value a {@link BigDecimal} or a {@link String}
 * @param tag the event's tag, or null
 * @param eventTimeMillis the event time in epoch milliseconds
 */
public record PlayValue(Serializable value, String tag, long eventTimeMillis)
    implements TriggerSpec.Tagged, Serializable {

  /** The value as a JSON literal: {@code 14}, {@code 4.5} or {@code "felix"}. */
  public String json() {
    return PlayFormats.jsonValue(value);
  }
}
