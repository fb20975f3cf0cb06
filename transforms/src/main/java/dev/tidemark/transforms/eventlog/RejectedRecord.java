package dev.tidemark.transforms.eventlog;

import java.io.Serializable;
import java.util.Objects;

/**
 * A log record that could not be parsed, with the reason: what a dead-letter topic keeps (the
 * original bytes, the reason, and the source topic, partition and offset).
 *
 * @param record the record exactly as read
 * @param reason one sentence saying what is wrong with it
 */
public record RejectedRecord(LogRecord record, String reason) implements Serializable {

  public RejectedRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(reason, "reason");
  }
}
