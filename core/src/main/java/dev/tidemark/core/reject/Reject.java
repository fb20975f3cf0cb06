package dev.tidemark.core.reject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An input that a step could not process, kept with where it came from and why: the one reject
 * record of Tidemark, whatever the step (parsing a CSV line or a Kafka record, a preprocessing
 * rule, scoring). Every step that can fail emits these on a dead-letter output instead of throwing,
 * so that the run keeps going and {@code in = out + rejects + captured late} can be checked; every
 * pipeline writes them the same way ({@code WriteRejects}: a TSV line per reject, or a Kafka record
 * with the original bytes and the reason in headers).
 *
 * @param source where the input came from or what refused it: a file, {@code scoring}, the
 *     preprocessing rule ({@code FARE_NOT_POSITIVE}); for a log record, its topic
 * @param reason one sentence saying what is wrong with it
 * @param payload the input exactly as received (a line as UTF-8, a record's value), or null
 * @param key the record's key when it had one (a Kafka key, a trip id), or null
 * @param position its position in the event log when it was read from one, else null: never
 *     invented
 */
public record Reject(
    String source, String reason, byte[] payload, byte[] key, LogPosition position) {

  public Reject {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
  }

  /** A line of text that could not be used (a CSV row, a JSON line), from {@code source}. */
  public static Reject ofLine(String source, String line, String reason) {
    return new Reject(source, reason, line.getBytes(StandardCharsets.UTF_8), null, null);
  }

  /** A record of an event log that could not be used, with its key, value and position. */
  public static Reject ofRecord(LogPosition position, byte[] key, byte[] value, String reason) {
    return new Reject(position.topic(), reason, value, key, position);
  }

  /** The payload as UTF-8 text (empty when there is none). */
  public String payloadText() {
    return payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
  }

  /**
   * One line for files and logs: {@code source<TAB>reason<TAB>payload}, tabs and line breaks in the
   * reason replaced by spaces (the payload is a line already).
   */
  public String toLine() {
    return source + '\t' + reason.replaceAll("[\t\r\n]", " ") + '\t' + payloadText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reject r
        && source.equals(r.source)
        && reason.equals(r.reason)
        && Arrays.equals(payload, r.payload)
        && Arrays.equals(key, r.key)
        && Objects.equals(position, r.position);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, reason, Arrays.hashCode(payload), Arrays.hashCode(key), position);
  }

  @Override
  public String toString() {
    return "Reject[" + (position == null ? source : position) + ": " + reason + "]";
  }
}
