package dev.tidemark.transforms.taxi.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.training.TrainedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The model export component: publishes a {@link TrainedModel} as one version of {@value
 * ModelFiles#TAXI_TIPS} under {@code <location>/taxi-tips/<version>/} with {@link ModelStore}:
 * {@code model.json} (the XGBoost booster, JSON format, which KServe's XGBoost runtime loads),
 * {@code feature_spec.json}, {@code metrics.json}, {@code model_card.json}, {@code reference.json}
 * (training distribution of the NUMERIC features, for drift monitoring), and last the {@code
 * _COMPLETE} marker, so a half-written version is never seen as complete. Outputs the version's
 * URI.
 */
public final class ExportModel extends PTransform<PCollection<TrainedModel>, PCollection<String>> {

  private final String location;
  private final S3Settings s3;
  private final String version;
  private final PCollectionView<FeatureSpec> spec;
  private final PCollectionView<Map<String, Long>> rejectsPerRule;
  private final Map<String, String> runFacts;

  private ExportModel(
      String location,
      S3Settings s3,
      String version,
      PCollectionView<FeatureSpec> spec,
      PCollectionView<Map<String, Long>> rejectsPerRule,
      Map<String, String> runFacts) {
    this.location = location;
    this.s3 = s3;
    this.version = version;
    this.spec = spec;
    this.rejectsPerRule = rejectsPerRule;
    this.runFacts = runFacts;
  }

  /**
   * Exports to {@code location} ({@code s3://bucket[/prefix]} or a directory) as {@code version}.
   *
   * @param s3 how to reach the object store when {@code location} is on S3 (else unused)
   * @param spec the feature spec the model was trained with
   * @param rejectsPerRule rejected lines per rule name, for the model card
   * @param runFacts facts about the run for the model card (input URI and fingerprint, runner,
   *     seed)
   */
  public static ExportModel to(
      String location,
      S3Settings s3,
      String version,
      PCollectionView<FeatureSpec> spec,
      PCollectionView<Map<String, Long>> rejectsPerRule,
      Map<String, String> runFacts) {
    return new ExportModel(
        location, s3, version, spec, rejectsPerRule, new LinkedHashMap<>(runFacts));
  }

  @Override
  public PCollection<String> expand(PCollection<TrainedModel> models) {
    return models
        .apply(
            "PublishModelVersion",
            ParDo.of(new ExportFn(location, s3, version, spec, rejectsPerRule, runFacts))
                .withSideInputs(spec, rejectsPerRule))
        .setCoder(StringUtf8Coder.of());
  }

  /** Writes the artifacts of one trained model, then the marker. */
  static final class ExportFn extends DoFn<TrainedModel, String> {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String location;
    private final S3Settings s3;
    private final String version;
    private final PCollectionView<FeatureSpec> spec;
    private final PCollectionView<Map<String, Long>> rejectsPerRule;
    private final Map<String, String> runFacts;

    ExportFn(
        String location,
        S3Settings s3,
        String version,
        PCollectionView<FeatureSpec> spec,
        PCollectionView<Map<String, Long>> rejectsPerRule,
        Map<String, String> runFacts) {
      this.location = location;
      this.s3 = s3;
      this.version = version;
      this.spec = spec;
      this.rejectsPerRule = rejectsPerRule;
      this.runFacts = runFacts;
    }

    @ProcessElement
    public void processElement(ProcessContext c) throws IOException {
      TrainedModel model = c.element();
      FeatureSpec featureSpec = c.sideInput(spec);
      Map<String, Long> rejects = c.sideInput(rejectsPerRule);
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(ModelFiles.MODEL_JSON, model.modelJson());
      files.put(ModelFiles.FEATURE_SPEC, featureSpec.toJson().getBytes(StandardCharsets.UTF_8));
      files.put(ModelFiles.METRICS, JSON.writeValueAsBytes(metrics(model)));
      files.put(ModelFiles.MODEL_CARD, JSON.writeValueAsBytes(card(model, featureSpec, rejects)));
      files.put(
          ModelFiles.REFERENCE,
          model.reference().numericOnly(featureSpec).toJson().getBytes(StandardCharsets.UTF_8));
      try (ModelStore store = ModelStore.open(location, s3)) {
        c.output(store.publish(ModelFiles.TAXI_TIPS, version, files));
      }
    }

    private static ObjectNode metrics(TrainedModel model) {
      ObjectNode m = JSON.createObjectNode();
      ObjectNode classifier = m.putObject("classifier");
      classifier.put("label", "tips > 0.2 * fare");
      classifier.set("eval", JSON.valueToTree(model.classifierEval()));
      classifier.set("train", JSON.valueToTree(model.classifierTrain()));
      ObjectNode regression = m.putObject("regression");
      regression.put("label", "tips (dollars)");
      regression.put("note", "reported only; the exported model is the classifier");
      regression.set("eval", JSON.valueToTree(model.regressionEval()));
      return m;
    }

    private ObjectNode card(
        TrainedModel model, FeatureSpec featureSpec, Map<String, Long> rejects) {
      ObjectNode card = JSON.createObjectNode();
      card.put("format", "tidemark.model-card/v1");
      card.put("model", ModelFiles.TAXI_TIPS);
      card.put("version", version);
      card.put("task", "binary classification: will the tip exceed 20% of the fare?");
      card.put("label", "tips > 0.2 * fare");
      card.put("framework", "XGBoost (xgboost4j 3.0.4), binary:logistic");
      card.put("modelFile", ModelFiles.MODEL_JSON);
      card.put("featureSpecFile", ModelFiles.FEATURE_SPEC);
      card.put("featureCount", featureSpec.length());

      ObjectNode data = card.putObject("data");
      runFacts.forEach(
          (k, v) -> {
            if (k.equals("inputBytes")) {
              data.put(k, Long.parseLong(v));
            } else if (k.startsWith("input")) {
              data.put(k, v);
            }
          });
      long rejected = rejects.values().stream().mapToLong(Long::longValue).sum();
      long clean = model.trainRows() + model.evalRows();
      data.put("rowsRead", clean + rejected);
      data.put("cleanRows", clean);
      data.put("rejectedRows", rejected);
      ObjectNode perRule = data.putObject("rejectsPerRule");
      for (TripRule rule : TripRule.values()) {
        perRule.put(rule.name(), rejects.getOrDefault(rule.name(), 0L));
      }
      data.put("trainRows", model.trainRows());
      data.put("evalRows", model.evalRows());
      data.put(
          "split",
          "eval when the first 64 bits of SHA-256(trip CSV without tips) mod 100 < "
              + TripSplit.EVAL_PERCENT);

      card.set("parameters", JSON.valueToTree(model.parameters()));
      ObjectNode headline = card.putObject("metrics");
      headline.put("evalRocAuc", model.classifierEval().rocAuc());
      headline.put("evalAccuracy", model.classifierEval().accuracy());
      headline.put("evalLogLoss", model.classifierEval().logLoss());
      headline.put("evalTipRmse", model.regressionEval().rmse());
      headline.put("evalTipRmseBaseline", model.regressionEval().baselineRmse());

      ObjectNode run = card.putObject("run");
      runFacts.forEach(
          (k, v) -> {
            if (!k.startsWith("input")) {
              run.put(k, v);
            }
          });
      ObjectNode times = card.putObject("timestamps");
      times.put("trainingStarted", model.trainingStarted());
      times.put("trainingFinished", model.trainingFinished());
      times.put("exported", Instant.now().toString());
      return card;
    }
  }
}
