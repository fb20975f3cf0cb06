package dev.tidemark.core.training;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/** Training the taxi-tips models on the shipped sample, without Beam. */
public class TipModelTrainerTest {

  private static List<LabeledRow> rows;

  @BeforeClass
  public static void featurizeShippedSample() throws IOException {
    List<TaxiTrip> clean = new ArrayList<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips())) {
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        TaxiTrip trip = TaxiTripCsv.parse(line);
        if (TripRule.firstBroken(trip).isEmpty()) {
          clean.add(trip);
        }
      } catch (MalformedTripException e) {
        // counted by the pipeline; irrelevant here
      }
    }
    FeatureAnalyzer analyzer = new FeatureAnalyzer();
    clean.stream().filter(t -> !TripSplit.isEval(t)).forEach(analyzer::add);
    TaxiFeatures features = new TaxiFeatures(analyzer.spec());
    rows = clean.stream().map(t -> LabeledRow.of(t, features)).toList();
  }

  /** The classifier ranks big tippers well on the eval split with default parameters. */
  @Test
  public void classifierReachesTheQualityBarOnTheEvalSplit() {
    TrainedModel model = TipModelTrainer.train(rows, TipModelTrainer.Params.defaults(42));
    System.out.println(
        "eval "
            + model.classifierEval()
            + "\ntrain auc "
            + model.classifierTrain().rocAuc()
            + "\nregression "
            + model.regressionEval());
    assertThat(model.classifierEval().rocAuc(), greaterThanOrEqualTo(0.95));
    assertThat(model.classifierEval().accuracy(), greaterThan(0.85));
    assertThat(model.evalRows(), greaterThan(2000L));
    assertThat(model.trainRows(), greaterThan(8000L));
    assertThat(model.regressionEval().rmse(), lessThan(model.regressionEval().baselineRmse()));
  }

  /** Same rows, same seed, any input order: byte-identical model and identical metrics. */
  @Test
  public void trainingTwiceWithTheSameSeedGivesTheSameBytes() {
    List<LabeledRow> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new java.util.Random(7));
    TrainedModel a = TipModelTrainer.train(rows, TipModelTrainer.Params.defaults(42));
    TrainedModel b = TipModelTrainer.train(shuffled, TipModelTrainer.Params.defaults(42));
    assertArrayEquals(a.modelJson(), b.modelJson());
    assertEquals(a.classifierEval(), b.classifierEval());
    assertThat(b.classifierEval().rocAuc(), closeTo(a.classifierEval().rocAuc(), 0.0));
  }
}
