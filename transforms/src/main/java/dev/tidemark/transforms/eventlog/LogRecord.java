package dev.tidemark.transforms.eventlog;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of an event log as read, before parsing: its position in the log and its bytes.
 *
 * @param topic the topic (or archive) it was read from
 * @param partition the partition within the topic
 * @param offset the offset within the partition
 * @param key the record key, or null
 * @param value the record value exactly as stored, or null
 */
public record LogRecord(String topic, int partition, long offset, byte[] key, byte[] value)
    implements Serializable {

  public LogRecord {
    Objects.requireNonNull(topic, "topic");
  }

  /** {@code topic/partition@offset}: where to find the record again. */
  public String position() {
    return topic + "/" + partition + "@" + offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogRecord r
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "LogRecord["
        + position()
        + ", "
        + (value == null ? "null" : value.length + " bytes")
        + "]";
  }
}
