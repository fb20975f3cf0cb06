package dev.tidemark.transforms.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The prediction for one trip: its stable id ({@code TripSplit.tripId}, the id training uses),
 * event time, the probability that the tip exceeds 20% of the fare, which model version produced
 * it, and the latency from the trip's arrival at the scoring step to its prediction (includes the
 * buffering delay of batching). Also carries the input vector, for drift monitoring; {@link
 * #toJson()} leaves it out.
 *
 * @param tripId 16 hex digits, {@code TripSplit.tripId}
 * @param eventTimeMillis the trip start, epoch milliseconds
 * @param probability P(tips > 0.2 * fare)
 * @param model the model name
 * @param version the model version that scored it
 * @param latencyMillis arrival at the scoring step to prediction, milliseconds
 * @param features the input vector (laid out by the version's feature spec)
 * @param steps what each step of an inference graph answered (empty for a single model)
 */
public record TripPrediction(
    String tripId,
    long eventTimeMillis,
    double probability,
    String model,
    String version,
    long latencyMillis,
    float[] features,
    List<StepOutput> steps)
    implements Serializable {
  private static final long serialVersionUID = 2L;

  public TripPrediction {
    steps = List.copyOf(steps);
  }

  /** A single model's prediction (no graph steps). */
  public TripPrediction(
      String tripId,
      long eventTimeMillis,
      double probability,
      String model,
      String version,
      long latencyMillis,
      float[] features) {
    this(tripId, eventTimeMillis, probability, model, version, latencyMillis, features, List.of());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The output record: {@code {"tripId", "eventTime" (ISO-8601), "probability", "model", "version",
   * "latencyMs"}}, and for an inference graph {@code "steps": [{"step", "model", "version",
   * "probability"}, ...]} in the order the steps ran.
   */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("tripId", tripId);
    n.put("eventTime", Instant.ofEpochMilli(eventTimeMillis).toString());
    n.put("probability", probability);
    n.put("model", model);
    n.put("version", version);
    n.put("latencyMs", latencyMillis);
    if (!steps.isEmpty()) {
      ArrayNode a = n.putArray("steps");
      for (StepOutput o : steps) {
        a.addObject()
            .put("step", o.step())
            .put("model", o.model())
            .put("version", o.version())
            .put("probability", o.probability());
      }
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a prediction", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TripPrediction p
        && tripId.equals(p.tripId)
        && eventTimeMillis == p.eventTimeMillis
        && probability == p.probability
        && model.equals(p.model)
        && version.equals(p.version)
        && latencyMillis == p.latencyMillis
        && Arrays.equals(features, p.features)
        && steps.equals(p.steps);
  }

  @Override
  public int hashCode() {
    return tripId.hashCode() * 31 + version.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
