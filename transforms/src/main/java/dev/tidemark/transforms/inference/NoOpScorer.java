package dev.tidemark.transforms.inference;

import dev.tidemark.core.trip.TaxiTrip;
import java.util.ArrayList;
import java.util.List;

/**
 * A scorer that answers a constant probability without computing features or calling a model: the
 * baseline that inference benchmarks subtract, so that the cost of the pipeline around inference
 * (read, parse, buffer, write) and the cost of inference itself are reported apart.
 */
public final class NoOpScorer implements TripScorer {

  /** The model name in its outcomes. */
  public static final String MODEL = "no-op";

  private final double probability;

  private NoOpScorer(double probability) {
    this.probability = probability;
  }

  /** Answers {@code probability} for every trip. */
  public static TripScorer.Factory constant(double probability) {
    return () -> new NoOpScorer(probability);
  }

  @Override
  public List<ScoreOutcome> score(List<TaxiTrip> trips) {
    List<ScoreOutcome> out = new ArrayList<>(trips.size());
    ScoreOutcome same = new ScoreOutcome.Scored(probability, MODEL, "0", new float[0]);
    for (int i = 0; i < trips.size(); i++) {
      out.add(same);
    }
    return out;
  }

  @Override
  public void close() {}
}
