package dev.tidemark.transforms.watermark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * One record of an ordered event log: its position in the log, the event time at which it happened,
 * and its payload. {@link ReadTimestampedEvents} emits records timestamped with their event time.
 *
 * @param offset position in the log, from 0
 * @param eventTime when the event happened (not when it was appended or read)
 * @param payload the event itself, as text
 */
public record LoggedEvent(long offset, Instant eventTime, String payload) implements Serializable {

  public LoggedEvent {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(payload, "payload");
  }

  /** A deterministic coder: offset, event time, payload. */
  public static Coder<LoggedEvent> coder() {
    return LoggedEventCoder.INSTANCE;
  }

  /** Encodes the three fields with Beam's standard coders. */
  static final class LoggedEventCoder extends CustomCoder<LoggedEvent> {
    static final LoggedEventCoder INSTANCE = new LoggedEventCoder();
    private static final Coder<Long> OFFSET = VarLongCoder.of();
    private static final Coder<Instant> TIME = InstantCoder.of();
    private static final Coder<String> TEXT = StringUtf8Coder.of();

    @Override
    public void encode(LoggedEvent value, OutputStream out) throws IOException {
      OFFSET.encode(value.offset(), out);
      TIME.encode(value.eventTime(), out);
      TEXT.encode(value.payload(), out);
    }

    @Override
    public LoggedEvent decode(InputStream in) throws IOException {
      return new LoggedEvent(OFFSET.decode(in), TIME.decode(in), TEXT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
