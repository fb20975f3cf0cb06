package dev.tidemark.pipelines;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.ObjectStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.taxi.training.AnalyzeFeatures;
import dev.tidemark.transforms.taxi.training.CountRejectsPerRule;
import dev.tidemark.transforms.taxi.training.ExportModel;
import dev.tidemark.transforms.taxi.training.ExtractFeatures;
import dev.tidemark.transforms.taxi.training.PreprocessTrips;
import dev.tidemark.transforms.taxi.training.TrainTipsModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Trains the taxi-tips "big tipper" model ({@code tips > 0.2 * fare}) on the Chicago taxi sample
 * and publishes it as a new version in the model store: preprocessing, feature analysis, features,
 * XGBoost training and evaluation, export.
 *
 * <p>Concepts: the TFX-style split of "analyze" (a {@code FeatureSpec} learned from the training
 * split, as a side input) and "transform" (the one {@code TaxiFeatures}); training in one place
 * after a single-key {@code GroupByKey}; errors as data (rejects with their rule); an export that
 * never shows a half-written version.
 *
 * <pre>{@code
 * bin/tidemark run train-taxi-tips --input=data/chicago-taxi/trips.csv --output=target/models
 * bin/tidemark train --output s3://models        # the same, with a summary table
 * }</pre>
 *
 * <p>The output is {@code <output>/taxi-tips/<version>/} with {@code model.json}, {@code
 * feature_spec.json}, {@code metrics.json}, {@code model_card.json} and, written last, {@code
 * _COMPLETE}. Rejected lines go to {@code --rejectsOutput} as TSV (rule, detail, raw line).
 */
public final class TrainTaxiTips {

  /** The format of default model versions: the UTC start time, e.g. {@code 20261127T090000Z}. */
  public static final DateTimeFormatter VERSION_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Options of {@link TrainTaxiTips}. */
  public interface Options extends PipelineOptions {
    @Description("Taxi trips CSV, one file: a local path, file:// URI or s3://bucket/key.")
    @Default.String("data/chicago-taxi/trips.csv")
    String getInput();

    void setInput(String value);

    @Description(
        "Model store: s3://bucket[/prefix] or a local directory; the model goes to"
            + " <output>/taxi-tips/<version>/.")
    @Default.String("s3://models")
    String getOutput();

    void setOutput(String value);

    @Description("Model version; by default the UTC start time, e.g. 20261127T090000Z.")
    String getModelVersion();

    void setModelVersion(String value);

    @Description("Random seed of XGBoost; the same seed and input give the same model.")
    @Default.Long(42)
    long getSeed();

    void setSeed(long value);

    @Description("Boosting rounds (trees); a challenger may try more.")
    @Default.Integer(100)
    int getRounds();

    void setRounds(int value);

    @Description("Largest tree depth; a challenger may try deeper trees.")
    @Default.Integer(4)
    int getMaxDepth();

    void setMaxDepth(int value);

    @Description(
        "S3 endpoint; by default $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL or $S3_ENDPOINT, else"
            + " http://127.0.0.1:9000. Credentials and region come from AWS_* variables.")
    String getS3Endpoint();

    void setS3Endpoint(String value);

    @Description("File prefix of the rejected lines (TSV: rule, detail, raw line).")
    @Default.String("target/train-taxi-tips/rejects")
    String getRejectsOutput();

    void setRejectsOutput(String value);
  }

  private TrainTaxiTips() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    run(options).waitUntilFinish();
  }

  /** Resolves the version (if unset) and the input fingerprint, builds and starts the pipeline. */
  public static PipelineResult run(Options options) {
    if (options.getModelVersion() == null || options.getModelVersion().isBlank()) {
      options.setModelVersion(VERSION_FORMAT.format(Instant.now()));
    }
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    return pipeline.run();
  }

  /** The S3 settings: the environment, with the endpoint option applied. */
  public static S3Settings s3Settings(Options options) {
    return S3Settings.fromEnv().withEndpointIfSet(options.getS3Endpoint());
  }

  /**
   * Adds the steps of this pipeline to {@code pipeline}; reads the input once to fingerprint it.
   */
  public static void buildPipeline(Pipeline pipeline, Options options) {
    S3Settings s3 = s3Settings(options);
    String input = options.getInput();

    PCollection<String> lines =
        input.startsWith("s3://")
            ? pipeline
                .apply("InputObject", Create.of(input).withCoder(StringUtf8Coder.of()))
                .apply("ReadTripLines", ParDo.of(new ReadObjectLinesFn(s3)))
            : pipeline.apply("ReadTripLines", TextIO.read().from(input));

    PCollectionTuple preprocessed = lines.apply("PreprocessTrips", PreprocessTrips.create());
    PCollection<TaxiTrip> clean = preprocessed.get(PreprocessTrips.CLEAN_TRIPS);
    PCollection<Reject> rejects = preprocessed.get(PreprocessTrips.REJECTS);

    rejects.apply("WriteRejects", WriteRejects.toFiles(options.getRejectsOutput()));
    PCollectionView<Map<String, Long>> rejectsPerRule =
        rejects
            .apply("CountRejectsPerRule", new CountRejectsPerRule())
            .apply("RejectsPerRuleView", View.asMap());

    PCollectionView<FeatureSpec> spec = clean.apply("AnalyzeFeatures", new AnalyzeFeatures());
    clean
        .apply("ExtractFeatures", ExtractFeatures.withSpec(spec))
        .apply(
            "TrainTipsModel",
            TrainTipsModel.with(
                new TipModelTrainer.Params(
                    options.getSeed(),
                    options.getRounds(),
                    TipModelTrainer.Params.defaults(options.getSeed()).eta(),
                    options.getMaxDepth(),
                    1)))
        .apply(
            "ExportModel",
            ExportModel.to(
                options.getOutput(),
                s3,
                options.getModelVersion(),
                spec,
                rejectsPerRule,
                runFacts(options, s3)));
  }

  /** The model card's facts about this run: the input and its fingerprint, runner, seed. */
  static Map<String, String> runFacts(Options options, S3Settings s3) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("input", options.getInput());
    try (InputStream in = ObjectStore.openObject(options.getInput(), s3)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      try (DigestInputStream digest = new DigestInputStream(in, sha)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = digest.read(buf)) > 0; ) {
          bytes += n;
        }
      }
      facts.put("inputSha256", HexFormat.of().formatHex(sha.digest()));
      facts.put("inputBytes", Long.toString(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the input " + options.getInput(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    facts.put("runner", options.getRunner().getSimpleName());
    facts.put("seed", Long.toString(options.getSeed()));
    facts.put("output", options.getOutput());
    facts.put("modelStoreMarker", ModelStore.MARKER);
    return facts;
  }

  /** Reads the lines of one S3 object (Beam's own S3 file system is not needed for one object). */
  static final class ReadObjectLinesFn extends DoFn<String, String> {
    private final S3Settings s3;

    ReadObjectLinesFn(S3Settings s3) {
      this.s3 = s3;
    }

    @ProcessElement
    public void processElement(@Element String uri, OutputReceiver<String> out) throws IOException {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(ObjectStore.openObject(uri, s3), StandardCharsets.UTF_8))) {
        // Like TextIO: one element per line, empty lines included (preprocessing rejects them).
        for (String line; (line = reader.readLine()) != null; ) {
          out.output(line);
        }
      }
    }
  }
}
