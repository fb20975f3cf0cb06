package dev.tidemark.transforms.cep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/**
 * A partial match that can no longer complete because a step with {@code within} saw no event in
 * time: the events matched so far, the step that was waited for, and the deadline that passed.
 *
 * @param key the key the pattern was matched for
 * @param events the events matched so far, in event-time order
 * @param missingStep the name of the step whose event did not come in time
 * @param deadline the last instant at which that event would still have counted
 */
public record TimedOutMatch<K, E>(
    K key, List<MatchedEvent<E>> events, String missingStep, Instant deadline) {

  public TimedOutMatch {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(missingStep, "missingStep");
    Objects.requireNonNull(deadline, "deadline");
    events = List.copyOf(events);
  }

  /** Coder of timed-out matches given the key and event coders. */
  public static <K, E> Coder<TimedOutMatch<K, E>> coder(Coder<K> keyCoder, Coder<E> eventCoder) {
    return new TimedOutMatchCoder<>(keyCoder, eventCoder);
  }

  /** Encodes key, events, missing step and deadline. */
  static final class TimedOutMatchCoder<K, E> extends CustomCoder<TimedOutMatch<K, E>> {
    private final Coder<K> keyCoder;
    private final Coder<List<MatchedEvent<E>>> eventsCoder;

    TimedOutMatchCoder(Coder<K> keyCoder, Coder<E> eventCoder) {
      this.keyCoder = keyCoder;
      this.eventsCoder = new Match.MatchedEventsCoder<>(eventCoder);
    }

    @Override
    public void encode(TimedOutMatch<K, E> value, OutputStream out) throws IOException {
      keyCoder.encode(value.key(), out);
      eventsCoder.encode(value.events(), out);
      StringUtf8Coder.of().encode(value.missingStep(), out);
      InstantCoder.of().encode(value.deadline(), out);
    }

    @Override
    public TimedOutMatch<K, E> decode(InputStream in) throws IOException {
      return new TimedOutMatch<>(
          keyCoder.decode(in),
          eventsCoder.decode(in),
          StringUtf8Coder.of().decode(in),
          InstantCoder.of().decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(keyCoder, eventsCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(
          this, "key and event coders must be deterministic", keyCoder, eventsCoder);
    }
  }
}
