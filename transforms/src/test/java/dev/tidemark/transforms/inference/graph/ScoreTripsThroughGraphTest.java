package dev.tidemark.transforms.inference.graph;

import static dev.tidemark.transforms.inference.graph.Trips.trip;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.graph.TestScorers.FareScorer;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * An inference graph inside a pipeline: {@code ScoreTrips.with(graph)} on the DirectRunner turns
 * every trip into exactly one prediction or one scoring failure (dead letter), including the trips
 * a Switch has no step for.
 */
public class ScoreTripsThroughGraphTest {

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /**
   * 300 trips, one in three paid cash, through a Switch that only knows cash trips: 100 predictions
   * by the cash step, 200 dead letters saying no condition matched.
   */
  @Test
  public void everyTripIsOnePredictionOrOneDeadLetter() {
    InferenceGraphSpec spec =
        InferenceGraphSpec.parse(
            "cash-only.yaml",
            "apiVersion: serving.kserve.io/v1alpha1\n"
                + "kind: InferenceGraph\n"
                + "metadata: {name: cash-only}\n"
                + "spec:\n"
                + "  nodes:\n"
                + "    root:\n"
                + "      routerType: Switch\n"
                + "      steps:\n"
                + "        - name: cash\n"
                + "          serviceName: taxi-tips\n"
                + "          condition: '[@this].#(payment_type==\"Cash\")'\n");
    InferenceGraph.Factory graph =
        InferenceGraph.factory(spec, step -> FareScorer.of("taxi-tips", "v1"));
    List<TaxiTrip> trips = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      trips.add(trip(10 + i, 2.0, i % 3 == 0 ? "Cash" : "Credit Card", Trips.TEN_AM + i));
    }

    PCollectionTuple out =
        pipeline
            .apply("Trips", Create.of(trips).withCoder(TaxiTripCoder.of()))
            .apply("ScoreThroughGraph", ScoreTrips.with(graph).withMaxBatchSize(64));

    PAssert.thatSingleton(
            out.get(ScoreTrips.PREDICTIONS).apply("CountPredictions", Count.globally()))
        .isEqualTo(100L);
    PAssert.thatSingleton(out.get(ScoreTrips.FAILED).apply("CountFailures", Count.globally()))
        .isEqualTo(200L);
    PAssert.that(
            out.get(ScoreTrips.PREDICTIONS)
                .apply("StepOf", MapElements.via(new StepOfFn()))
                .apply("DistinctSteps", Distinct.create()))
        .containsInAnyOrder("cash taxi-tips v1");
    PAssert.that(
            out.get(ScoreTrips.FAILED)
                .apply("ReasonOf", MapElements.into(TypeDescriptors.strings()).via(Reject::reason))
                .apply("DistinctReasons", Distinct.create()))
        .containsInAnyOrder("no condition of Switch node 'root' matched");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertThat(counter(result, "switchNoMatch"), equalTo(200L));
  }

  /** {@code <step> <model> <version>} of a single-step graph prediction. */
  static final class StepOfFn extends SimpleFunction<TripPrediction, String> {
    @Override
    public String apply(TripPrediction p) {
      return p.steps().size() == 1
          ? p.steps().get(0).step() + " " + p.steps().get(0).model() + " " + p.version()
          : "steps: " + p.steps();
    }
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(InferenceGraph.class, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
