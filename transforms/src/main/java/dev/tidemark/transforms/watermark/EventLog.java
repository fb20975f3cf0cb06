package dev.tidemark.transforms.watermark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * An ordered, in-memory event log: records at offsets 0, 1, 2, ... in the order they were appended,
 * with event times in any order (real logs are disordered: events are appended when they reach the
 * producer, not when they happened). It is the input element of {@link ReadTimestampedEvents}.
 *
 * <p>Because the whole log is known, it can tell the earliest event time still unread after any
 * offset: that is the completeness point a perfect watermark reports.
 */
public final class EventLog implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArrayList<LoggedEvent> records;

  private EventLog(List<LoggedEvent> records) {
    this.records = new ArrayList<>(records);
  }

  /** A log of {@code records}, whose offsets must be exactly 0, 1, 2, ... in order. */
  public static EventLog of(List<LoggedEvent> records) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).offset() != i) {
        throw new IllegalArgumentException(
            "record at position " + i + " has offset " + records.get(i).offset());
      }
    }
    return new EventLog(records);
  }

  /** A coder of logs (Java serialization: a log is read once, by one splittable DoFn). */
  public static Coder<EventLog> coder() {
    return SerializableCoder.of(EventLog.class);
  }

  /** The number of records. */
  public int size() {
    return records.size();
  }

  /** The record at {@code offset}. */
  public LoggedEvent get(long offset) {
    return records.get(Math.toIntExact(offset));
  }

  /** All records, in offset order. */
  public List<LoggedEvent> records() {
    return List.copyOf(records);
  }

  /**
   * For each offset in {@code [from, to)}, the earliest event time among the records after it and
   * before {@code to} ({@link BoundedWindow#TIMESTAMP_MAX_VALUE} after the last one): element
   * {@code i} is what is still unread once offset {@code from + i} has been read.
   */
  public Instant[] earliestUnreadAfter(long from, long to) {
    int n = Math.toIntExact(to - from);
    Instant[] result = new Instant[n];
    Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;
    for (int i = n - 1; i >= 0; i--) {
      result[i] = earliest;
      Instant t = get(from + i).eventTime();
      if (t.isBefore(earliest)) {
        earliest = t;
      }
    }
    return result;
  }

  /** The earliest event time in {@code [from, to)}, or the end of time if the range is empty. */
  public Instant earliestIn(long from, long to) {
    Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;
    for (long i = from; i < to; i++) {
      if (get(i).eventTime().isBefore(earliest)) {
        earliest = get(i).eventTime();
      }
    }
    return earliest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventLog other && records.equals(other.records);
  }

  @Override
  public int hashCode() {
    return records.hashCode();
  }

  @Override
  public String toString() {
    return "EventLog" + records;
  }
}
