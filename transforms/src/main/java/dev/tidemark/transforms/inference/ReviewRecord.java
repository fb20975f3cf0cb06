package dev.tidemark.transforms.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidemark.core.model.Explanation;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A prediction that needs attention, for the review topic (the deck's "online report of model
 * behaviour"): why it needs attention, which inputs lay outside the training range, and its
 * TreeSHAP explanation by the model version that made it — or, when that version cannot explain in
 * process, why not.
 *
 * @param tripId the trip id of the prediction
 * @param eventTimeMillis the trip start, epoch milliseconds
 * @param probability the predicted probability
 * @param model the model name that predicted
 * @param version the model version that predicted (and explains)
 * @param reasons why it needs attention ({@link AttentionPolicy}), never empty
 * @param outOfRange the inputs outside the training range of that version, in vector order
 * @param explanation the TreeSHAP explanation, or null when it could not be computed
 * @param explanationError why there is no explanation (one sentence), or null when there is one
 */
public record ReviewRecord(
    String tripId,
    long eventTimeMillis,
    double probability,
    String model,
    String version,
    List<String> reasons,
    List<AttentionPolicy.OutOfRange> outOfRange,
    Explanation explanation,
    String explanationError)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How many of the largest contributions {@link #toJson()} lists under {@code top}. */
  public static final int TOP = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  public ReviewRecord {
    reasons = List.copyOf(reasons);
    outOfRange = List.copyOf(outOfRange);
  }

  /**
   * One line of JSON: {@code {"tripId", "eventTime" (ISO-8601), "probability", "model", "version",
   * "reasons": [..], "inputsOutOfRange": [{"feature", "value", "trainingMin", "trainingMax"}],
   * "explanation": {"bias", "margin", "probability", "top": [{"feature", "value", "contribution"}]
   * (the 3 largest |contribution|), "contributions": {feature: contribution, ...} (every feature,
   * vector order)} or null, "explanationError": sentence or null}}. Missing input values are
   * written as null.
   */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("tripId", tripId);
    n.put("eventTime", Instant.ofEpochMilli(eventTimeMillis).toString());
    n.put("probability", probability);
    n.put("model", model);
    n.put("version", version);
    ArrayNode r = n.putArray("reasons");
    reasons.forEach(r::add);
    ArrayNode o = n.putArray("inputsOutOfRange");
    for (AttentionPolicy.OutOfRange x : outOfRange) {
      ObjectNode e = o.addObject();
      e.put("feature", x.feature());
      e.put("value", x.value());
      e.put("trainingMin", x.trainingMin());
      e.put("trainingMax", x.trainingMax());
    }
    if (explanation == null) {
      n.putNull("explanation");
    } else {
      ObjectNode e = n.putObject("explanation");
      e.put("bias", (float) explanation.bias());
      e.put("margin", explanation.margin());
      e.put("probability", explanation.probability());
      ArrayNode top = e.putArray("top");
      for (Explanation.Contribution c : explanation.top(TOP)) {
        ObjectNode t = top.addObject();
        t.put("feature", c.feature());
        putValue(t, "value", c.value());
        t.put("contribution", (float) c.contribution());
      }
      ObjectNode all = e.putObject("contributions");
      for (Explanation.Contribution c : explanation.contributions()) {
        all.put(c.feature(), (float) c.contribution());
      }
    }
    if (explanationError == null) {
      n.putNull("explanationError");
    } else {
      n.put("explanationError", explanationError);
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a review record", e);
    }
  }

  private static void putValue(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, (float) v);
    }
  }

  @Override
  public String toString() {
    return toJson();
  }
}
