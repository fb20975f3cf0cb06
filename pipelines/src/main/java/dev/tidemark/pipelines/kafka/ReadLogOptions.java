package dev.tidemark.pipelines.kafka;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * How a pipeline reads the trip log: replay the retained log (bounded, up to its current end) or
 * follow it live. Mixed into the options of every pipeline that reads trips with {@link
 * ReadTripEvents#from(ReadLogOptions)}.
 */
public interface ReadLogOptions extends EventLogOptions {
  @Description(
      "Follow the topic live (never ends) instead of replaying the retained log up to its"
          + " current end.")
  @Default.Boolean(false)
  boolean getFollow();

  void setFollow(boolean value);

  @Description(
      "Replay only records at or after this event time (ISO-8601, e.g. 2015-01-01T00:00:00Z);"
          + " empty: from the beginning.")
  @Default.String("")
  String getReplayFrom();

  void setReplayFrom(String value);

  @Description(
      "Follow mode: bounded out-of-orderness, how late (event time) an event may be and still"
          + " count. A replay holds the watermark until the end of the range instead.")
  @Default.Long(120)
  long getMaxDelaySeconds();

  void setMaxDelaySeconds(long value);

  @Description(
      "Processing time without records after which a caught-up partition is idle (follow mode).")
  @Default.Long(5)
  long getIdleTimeoutSeconds();

  void setIdleTimeoutSeconds(long value);
}
