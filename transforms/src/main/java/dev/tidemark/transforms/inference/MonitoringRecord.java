package dev.tidemark.transforms.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidemark.transforms.skew.SkewHistogram;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link MonitorPredictions} reports for one pane of one event-time window.
 *
 * @param windowStart window start, epoch milliseconds
 * @param windowEnd window end (exclusive), epoch milliseconds
 * @param timing {@code ON_TIME} (the watermark passed the window end) or {@code LATE} (events that
 *     arrived after that, within the allowed lateness)
 * @param predictions predictions in this pane
 * @param deadLetters dead letters (unparseable events, unscorable trips) in this pane
 * @param lateEvents events of a {@code LATE} pane (predictions + dead letters), else 0
 * @param eventsPerSecond (predictions + dead letters) per second of event time in the window
 * @param watermarkLagMs {@code ON_TIME} records: how far (event time, ms) the newest prediction
 *     seen was ahead of the window end when the watermark passed it, {@code max(0, newest - end)};
 *     NaN for {@code LATE} records and windows without predictions (see {@link MonitorPredictions})
 * @param latencyP50Ms median latency (arrival at scoring to prediction), ms; NaN without
 *     predictions
 * @param latencyP99Ms 99th percentile latency, ms; NaN without predictions
 * @param predictionMean mean probability; NaN without predictions
 * @param histogram predictions per probability decile {@code [0, 0.1) … [0.9, 1.0]}
 * @param drift per numeric feature with a training reference
 * @param skew the predictions of this pane per skew bucket (processing time when monitored minus
 *     event time; {@code future} for events stamped ahead of the clock), see {@code MeasureSkew}
 */
public record MonitoringRecord(
    long windowStart,
    long windowEnd,
    String timing,
    long predictions,
    long deadLetters,
    long lateEvents,
    double eventsPerSecond,
    double watermarkLagMs,
    double latencyP50Ms,
    double latencyP99Ms,
    double predictionMean,
    long[] histogram,
    List<FeatureDrift> drift,
    SkewHistogram skew)
    implements Serializable {
  private static final long serialVersionUID = 3L;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The record as one line of JSON (NaN written as null). */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("windowStart", Instant.ofEpochMilli(windowStart).toString());
    n.put("windowEnd", Instant.ofEpochMilli(windowEnd).toString());
    n.put("timing", timing);
    n.put("predictions", predictions);
    n.put("deadLetters", deadLetters);
    n.put("lateEvents", lateEvents);
    put(n, "eventsPerSecond", eventsPerSecond);
    if (Double.isNaN(watermarkLagMs)) {
      n.putNull("watermarkLagMs");
    } else {
      n.put("watermarkLagMs", Math.round(watermarkLagMs));
    }
    put(n, "latencyP50Ms", latencyP50Ms);
    put(n, "latencyP99Ms", latencyP99Ms);
    put(n, "predictionMean", predictionMean);
    ArrayNode h = n.putArray("histogram");
    for (long c : histogram) {
      h.add(c);
    }
    ArrayNode d = n.putArray("drift");
    for (FeatureDrift f : drift) {
      ObjectNode o = d.addObject();
      o.put("feature", f.feature());
      o.put("values", f.values());
      put(o, "psi", f.psi());
      o.put("psiAlert", f.psiAlert());
      put(o, "ksStatistic", f.ksStatistic());
      put(o, "ksPValue", f.ksPValue());
    }
    ObjectNode k = n.putObject("skew");
    for (SkewHistogram.Bucket b : skew.buckets()) {
      k.put(b.label(), b.count());
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a monitoring record", e);
    }
  }

  private static void put(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MonitoringRecord r && toJson().equals(r.toJson());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(histogram) * 31 + Long.hashCode(windowStart);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
