package dev.tidemark.pipelines.play;

import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;

/**
 * One thing a scenario run produced: a pane, the retraction of a value emitted earlier, or an
 * element dropped because it arrived after its window expired (captured, never lost).
 *
 * @param kind pane, retraction or dropped
 * @param key the key
 * @param windowStart the window's start, or null for the global window
 * @param windowEnd the window's end (exclusive), or null for the global window
 * @param value the pane's value, the withdrawn value, or the dropped element's value, as a JSON
 *     literal
 * @param timing EARLY, ON_TIME or LATE (panes and retractions), or null
 * @param index Beam's pane index
 * @param onTimeIndex Beam's non-speculative index (−1 for EARLY panes)
 * @param first whether this is the window's first pane
 * @param last whether this is the window's last pane
 * @param eventTime the dropped element's event time, or null
 * @param processingTime when it was emitted, in scenario processing time
 */
public record PlayRecord(
    Kind kind,
    String key,
    Instant windowStart,
    Instant windowEnd,
    String value,
    String timing,
    long index,
    long onTimeIndex,
    boolean first,
    boolean last,
    Instant eventTime,
    Instant processingTime)
    implements Serializable {

  /** What a record is. */
  public enum Kind {
    RETRACTION,
    PANE,
    DROPPED;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  /** Whether the record is in the global window. */
  public boolean isGlobal() {
    return windowStart == null;
  }

  /** The same record emitted at another processing time. */
  public PlayRecord at(Instant when) {
    return new PlayRecord(
        kind,
        key,
        windowStart,
        windowEnd,
        value,
        timing,
        index,
        onTimeIndex,
        first,
        last,
        eventTime,
        when);
  }

  private static final Comparator<Instant> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  /**
   * The order records are printed in: as they were emitted in processing time; at one processing
   * time by key, window, pane index, a retraction before the pane that supersedes it, and dropped
   * elements by event time. (Beam emits records of one processing time in no fixed order.)
   */
  public static final Comparator<PlayRecord> EMITTED_ORDER =
      Comparator.comparing(PlayRecord::processingTime)
          .thenComparing(PlayRecord::key)
          .thenComparing(PlayRecord::windowStart, NULLS_FIRST)
          .thenComparing(PlayRecord::windowEnd, NULLS_FIRST)
          .thenComparingLong(PlayRecord::index)
          .thenComparing(PlayRecord::kind)
          .thenComparing(PlayRecord::eventTime, NULLS_FIRST)
          .thenComparing(PlayRecord::value);
}
