package dev.tidemark.transforms.cep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.joda.time.Instant;

/**
 * A complete match of a {@link Pattern} for one key: the matched events in event-time order, each
 * with the name of the step that took it.
 *
 * @param key the key the pattern was matched for
 * @param events the matched events, in event-time order
 */
public record Match<K, E>(K key, List<MatchedEvent<E>> events) {

  public Match {
    Objects.requireNonNull(events, "events");
    events = List.copyOf(events);
  }

  /** The events taken by step {@code name}, in order (empty if it took none). */
  public List<E> events(String name) {
    List<E> out = new ArrayList<>();
    for (MatchedEvent<E> m : events) {
      if (m.step().equals(name)) {
        out.add(m.event());
      }
    }
    return out;
  }

  /** The first event taken by step {@code name}. */
  public E first(String name) {
    for (MatchedEvent<E> m : events) {
      if (m.step().equals(name)) {
        return m.event();
      }
    }
    throw new IllegalArgumentException("no event of step '" + name + "' in " + this);
  }

  /** The events by step name, steps in pattern order. */
  public Map<String, List<E>> byName() {
    Map<String, List<E>> out = new LinkedHashMap<>();
    for (MatchedEvent<E> m : events) {
      out.computeIfAbsent(m.step(), k -> new ArrayList<>()).add(m.event());
    }
    return out;
  }

  /** Event time of the first matched event. */
  public Instant start() {
    return events.get(0).timestamp();
  }

  /** Event time of the last matched event. */
  public Instant end() {
    return events.get(events.size() - 1).timestamp();
  }

  /** Coder of matches given the key and event coders. */
  public static <K, E> Coder<Match<K, E>> coder(Coder<K> keyCoder, Coder<E> eventCoder) {
    return new MatchCoder<>(keyCoder, eventCoder);
  }

  /** Encodes the key, then the matched events with their step names and times. */
  static final class MatchCoder<K, E> extends CustomCoder<Match<K, E>> {
    private final Coder<K> keyCoder;
    private final Coder<List<MatchedEvent<E>>> eventsCoder;

    MatchCoder(Coder<K> keyCoder, Coder<E> eventCoder) {
      this.keyCoder = keyCoder;
      this.eventsCoder = new MatchedEventsCoder<>(eventCoder);
    }

    @Override
    public void encode(Match<K, E> value, OutputStream out) throws IOException {
      keyCoder.encode(value.key(), out);
      eventsCoder.encode(value.events(), out);
    }

    @Override
    public Match<K, E> decode(InputStream in) throws IOException {
      return new Match<>(keyCoder.decode(in), eventsCoder.decode(in));
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

  /** A list of {@link MatchedEvent}s: size, then (step, time, event) per entry. */
  static final class MatchedEventsCoder<E> extends CustomCoder<List<MatchedEvent<E>>> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Instant> INSTANT = InstantCoder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();
    private final Coder<E> eventCoder;

    MatchedEventsCoder(Coder<E> eventCoder) {
      this.eventCoder = eventCoder;
    }

    @Override
    public void encode(List<MatchedEvent<E>> value, OutputStream out) throws IOException {
      INT.encode(value.size(), out);
      for (MatchedEvent<E> m : value) {
        STRING.encode(m.step(), out);
        INSTANT.encode(m.timestamp(), out);
        eventCoder.encode(m.event(), out);
      }
    }

    @Override
    public List<MatchedEvent<E>> decode(InputStream in) throws IOException {
      int n = INT.decode(in);
      List<MatchedEvent<E>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new MatchedEvent<>(STRING.decode(in), INSTANT.decode(in), eventCoder.decode(in)));
      }
      return out;
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(eventCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "event coder must be deterministic", eventCoder);
    }
  }
}
