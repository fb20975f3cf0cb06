package dev.tidemark.core.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * TreeSHAP explanations of a real (small) model: per row, the contributions and the bias add up to
 * the margin XGBoost itself predicts, and the sigmoid of that margin is the predicted probability.
 */
public class ModelVersionExplainTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String V1 = "20261127T090000Z";

  private static Map<String, byte[]> v1;
  private static List<TaxiTrip> trips;
  private static String store;

  @BeforeClass
  public static void trainAndPublish() throws IOException {
    List<TaxiTrip> sample = TipModels.trips(400);
    v1 = TipModels.train(sample, 20);
    trips = sample.subList(0, 60);
    store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, V1, v1);
  }

  /**
   * 60 trips in one call: for each, sum(contributions) + bias equals the margin of XGBoost's own
   * {@code predict(outputMargin=true)} within 1e-4, and sigmoid(margin) its probability.
   */
  @Test
  public void contributionsAndBiasAddUpToTheMarginOfEachRow() throws Exception {
    try (ModelStore s = ModelStore.open(store);
        ModelVersion model = ModelVersion.load(s, ModelFiles.TAXI_TIPS, V1)) {
      int width = model.features().length();
      float[] flat = new float[trips.size() * width];
      for (int i = 0; i < trips.size(); i++) {
        model.features().writeVector(trips.get(i), flat, i * width);
      }

      List<Explanation> explanations = model.explain(flat, trips.size());
      float[] margins = nativeMargins(flat, trips.size(), width);
      float[] probabilities = model.predict(flat, trips.size());

      assertThat(explanations.size(), equalTo(60));
      for (int i = 0; i < trips.size(); i++) {
        Explanation e = explanations.get(i);
        double sum = e.bias();
        for (Explanation.Contribution c : e.contributions()) {
          sum += c.contribution();
        }
        assertThat(e.contributions().size(), equalTo(width));
        assertThat(sum, closeTo(margins[i], 1e-4));
        assertThat(e.margin(), closeTo(margins[i], 1e-4));
        assertThat(1 / (1 + Math.exp(-e.margin())), closeTo(probabilities[i], 1e-6));
        assertThat(e.probability(), closeTo(probabilities[i], 1e-6));
      }
    }
  }

  /** Contributions are named by the version's feature spec and carry the input value. */
  @Test
  public void contributionsAreNamedAfterTheFeatureSpec() throws Exception {
    try (ModelStore s = ModelStore.open(store);
        ModelVersion model = ModelVersion.load(s, ModelFiles.TAXI_TIPS, V1)) {
      TaxiTrip trip = trips.get(0);
      Explanation e = model.explain(model.features().vector(trip), 1).get(0);
      assertThat(e.contributions().get(0).feature(), equalTo("fare"));
      assertThat(e.contributions().get(0).value(), equalTo((double) (float) trip.fare()));
      List<Explanation.Contribution> top = e.top(3);
      assertThat(top.size(), equalTo(3));
      assertThat(
          Math.abs(top.get(0).contribution()),
          greaterThanOrEqualTo(Math.abs(top.get(1).contribution())));
      assertThat(
          Math.abs(top.get(1).contribution()),
          greaterThanOrEqualTo(Math.abs(top.get(2).contribution())));
    }
  }

  /** The margins XGBoost predicts itself ({@code outputMargin = true}), independent of explain. */
  private static float[] nativeMargins(float[] flat, int rows, int width)
      throws XGBoostError, IOException {
    Booster b = XGBoost.loadModel(v1.get(ModelFiles.MODEL_JSON));
    DMatrix m = new DMatrix(flat, rows, width, Float.NaN);
    try {
      float[][] out = b.predict(m, true);
      float[] margins = new float[rows];
      for (int i = 0; i < rows; i++) {
        margins[i] = out[i][0];
      }
      return margins;
    } finally {
      m.dispose();
      b.dispose();
    }
  }
}
