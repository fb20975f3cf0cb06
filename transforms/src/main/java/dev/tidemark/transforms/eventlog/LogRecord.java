package dev.tidemark.transforms.eventlog;

import dev.tidemark.core.reject.LogPosition;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of an event log as read, before parsing: where it came from and its bytes.
 *
 * @param source the topic or archive it was read from
 * @param position its topic, partition and offset when read from a log that has them (a Kafka
 *     topic), else null (an archive file)
 * @param key the record key, or null
 * @param value the record value exactly as stored, or null
 */
public record LogRecord(String source, LogPosition position, byte[] key, byte[] value) {

  public LogRecord {
    Objects.requireNonNull(source, "source");
  }

  /** A record of a partitioned log at {@code position}. */
  public static LogRecord at(LogPosition position, byte[] key, byte[] value) {
    return new LogRecord(position.topic(), position, key, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogRecord r
        && source.equals(r.source)
        && Objects.equals(position, r.position)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, position, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "LogRecord["
        + (position == null ? source : position)
        + ", "
        + (value == null ? "null" : value.length + " bytes")
        + "]";
  }
}
