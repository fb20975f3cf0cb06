package dev.tidemark.core.reject;

import java.util.Objects;

/**
 * Where a record sits in an event log: its topic, partition and offset, so that it can be found,
 * fixed and re-published.
 *
 * @param topic the topic (or archive) it was read from
 * @param partition the partition within the topic, from 0
 * @param offset the offset within the partition, from 0
 */
public record LogPosition(String topic, int partition, long offset) {

  public LogPosition {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "a log position has a partition and an offset of 0 or more, got "
              + partition
              + " and "
              + offset);
    }
  }

  /** {@code topic/partition@offset}. */
  @Override
  public String toString() {
    return topic + "/" + partition + "@" + offset;
  }
}
