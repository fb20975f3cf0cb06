package dev.tidemark.transforms.inference.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The comparison of the steps of an inference graph over one event-time window: what {@link
 * CompareChampionChallenger} writes (e.g. to a Kafka topic, as {@link #toJson()}).
 *
 * @param windowStartMillis the window's start, epoch milliseconds
 * @param windowEndMillis the window's end, epoch milliseconds
 * @param timing the pane's timing: {@code ON_TIME}, or {@code LATE} for a late pane (which counts
 *     only the late predictions)
 * @param steps one summary per step that answered in the window, by step name
 * @param pairs the champion against each other step, over the trips both answered
 */
public record ChampionChallengerReport(
    long windowStartMillis,
    long windowEndMillis,
    String timing,
    List<StepSummary> steps,
    List<PairSummary> pairs)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public ChampionChallengerReport {
    steps = List.copyOf(steps);
    pairs = List.copyOf(pairs);
  }

  /**
   * What one step answered in the window.
   *
   * @param step the step's name in the graph spec
   * @param versions the {@code model@version}s that answered for it, sorted
   * @param count how many trips it answered
   * @param meanProbability the mean of its probabilities
   * @param positiveShare the share of its probabilities at or above 0.5
   */
  public record StepSummary(
      String step, List<String> versions, long count, double meanProbability, double positiveShare)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public StepSummary {
      versions = List.copyOf(versions);
    }
  }

  /**
   * The champion and one challenger on the trips both answered (an {@code Ensemble}: shadow mode).
   *
   * @param champion the champion step
   * @param challenger the other step
   * @param pairs how many trips both answered
   * @param meanAbsoluteDifference the mean of |champion - challenger| probability
   * @param agreementRate the share of pairs on the same side of 0.5
   */
  public record PairSummary(
      String champion,
      String challenger,
      long pairs,
      double meanAbsoluteDifference,
      double agreementRate)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code {"windowStart", "windowEnd" (ISO-8601), "timing", "steps": [{"step", "versions",
   * "count", "meanProbability", "positiveShare"}], "pairs": [{"champion", "challenger", "pairs",
   * "meanAbsoluteDifference", "agreementRate"}]}}.
   */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("windowStart", Instant.ofEpochMilli(windowStartMillis).toString());
    n.put("windowEnd", Instant.ofEpochMilli(windowEndMillis).toString());
    n.put("timing", timing);
    var s = n.putArray("steps");
    for (StepSummary x : steps) {
      ObjectNode o = s.addObject();
      o.put("step", x.step());
      var v = o.putArray("versions");
      x.versions().forEach(v::add);
      o.put("count", x.count());
      o.put("meanProbability", x.meanProbability());
      o.put("positiveShare", x.positiveShare());
    }
    var p = n.putArray("pairs");
    for (PairSummary x : pairs) {
      p.addObject()
          .put("champion", x.champion())
          .put("challenger", x.challenger())
          .put("pairs", x.pairs())
          .put("meanAbsoluteDifference", x.meanAbsoluteDifference())
          .put("agreementRate", x.agreementRate());
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a report", e);
    }
  }

  @Override
  public String toString() {
    return toJson();
  }
}
