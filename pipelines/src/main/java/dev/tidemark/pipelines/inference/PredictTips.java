package dev.tidemark.pipelines.inference;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.features.FeatureReference;
import dev.tidemark.core.model.Evaluator;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.time.Durations;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.pipelines.kafka.ReadLogOptions;
import dev.tidemark.pipelines.kafka.ReadTripEvents;
import dev.tidemark.pipelines.kafka.WriteKeyedStrings;
import dev.tidemark.pipelines.sinks.WriteLateData;
import dev.tidemark.pipelines.sinks.WriteRejects;
import dev.tidemark.transforms.inference.AttentionPolicy;
import dev.tidemark.transforms.inference.ExplainForReview;
import dev.tidemark.transforms.inference.InProcessScorer;
import dev.tidemark.transforms.inference.MonitorPredictions;
import dev.tidemark.transforms.inference.MonitoringRecord;
import dev.tidemark.transforms.inference.ReviewRecord;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.TripScorer;
import dev.tidemark.transforms.inference.graph.ChampionChallengerReport;
import dev.tidemark.transforms.inference.graph.CompareChampionChallenger;
import dev.tidemark.transforms.inference.graph.InferenceGraph;
import dev.tidemark.transforms.inference.graph.InferenceGraphSpec;
import dev.tidemark.transforms.inference.graph.StepResolver;
import dev.tidemark.transforms.inference.remote.RemoteScorer;
import dev.tidemark.transforms.inference.remote.RetryPolicy;
import dev.tidemark.transforms.windowing.BeamDurations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Streaming taxi-tips predictions: trip events from Kafka are parsed (bad records to the
 * dead-letter topic), turned into features by the model version's own feature spec, scored in
 * process in batches by the newest complete version of the model in the model store (hot-swapped
 * when a newer one is published), and written to a predictions topic as JSON; windowed monitoring
 * records (throughput, latency, prediction distribution, dead letters, late events, input drift
 * against the training data) go to a monitoring topic.
 *
 * <p>Concepts: in-process inference with batching (one native predict call per bundle batch); model
 * hot swap without restart, loss or double scoring; the same feature code as training; errors as
 * data; event-time monitoring windows with late panes.
 *
 * <pre>{@code
 * bin/tidemark train --output target/models
 * bin/tidemark run predict-tips --modelStore=target/models --follow=true
 * # or through the model server (timeouts, retries, circuit breaker):
 * bin/tidemark serve --repository target/models &
 * bin/tidemark run predict-tips --modelStore=target/models --inference=remote \
 *     --serverUrl=http://127.0.0.1:8080 --remoteTimeoutMs=2000 --remoteRetries=3
 * }</pre>
 *
 * <p>The graph itself is {@link PredictAndMonitorTips}, between the Kafka source and the topic
 * sinks, so that it is specified without a broker (its TestStream specification). Every trip event
 * read ends up as exactly one prediction or one dead letter (unparseable records and trips that
 * could not be scored); every prediction and dead letter is in one monitoring pane or, too late for
 * its window, on {@code <monitoring topic>-late}; with a graph, every prediction is in one
 * comparison pane or on {@code <comparison topic>-late}.
 */
public final class PredictTips {

  /** Options of {@link PredictTips}. */
  public interface Options extends ReadLogOptions {
    @Description("Model store: s3://bucket[/prefix] or a directory (what `tidemark train` wrote).")
    @Default.String("s3://models")
    String getModelStore();

    void setModelStore(String value);

    @Description(
        "S3 endpoint of the model store; by default $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL or"
            + " $S3_ENDPOINT, else http://127.0.0.1:9000.")
    String getS3Endpoint();

    void setS3Endpoint(String value);

    @Description(
        "Inference graph spec (KServe InferenceGraph YAML; see docs/inference-graph.md). When"
            + " set, trips are scored through the graph instead of by --modelName alone.")
    String getGraph();

    void setGraph(String value);

    @Description(
        "Step of the graph whose answers are the champion's in the comparison records (default:"
            + " the first step of the root node).")
    String getChampionStep();

    void setChampionStep(String value);

    @Description("Topic of the windowed champion/challenger comparison (with --graph; JSON).")
    @Default.String("tip-comparison")
    String getComparisonTopic();

    void setComparisonTopic(String value);

    @Description("Model name in the store.")
    @Default.String("taxi-tips")
    String getModelName();

    void setModelName(String value);

    @Description(
        "How in-process models evaluate their trees: compiled (Tidemark's evaluator, no JNI) or"
            + " xgboost4j (XGBoost's native library).")
    @Default.String("compiled")
    String getEvaluator();

    void setEvaluator(String value);

    @Description("At most this many rows per predict call.")
    @Default.Integer(ScoreTrips.DEFAULT_MAX_BATCH_SIZE)
    int getMaxBatchSize();

    void setMaxBatchSize(int value);

    @Description("Look for a newer complete model version at most this often, in seconds.")
    @Default.Long(10)
    long getModelPollSeconds();

    void setModelPollSeconds(long value);

    @Description("Topic of the predictions (JSON; key = trip id).")
    @Default.String("tip-predictions")
    String getPredictionsTopic();

    void setPredictionsTopic(String value);

    @Description("Topic of the 5-minute monitoring records (JSON; key = window start).")
    @Default.String("tip-monitoring")
    String getMonitoringTopic();

    void setMonitoringTopic(String value);

    @Description(
        "Monitoring and comparison window, event time (e.g. 5m, 1h, 30d; the shipped sample has"
            + " a few trips a day).")
    @Default.String("5m")
    String getMonitoringWindow();

    void setMonitoringWindow(String value);

    @Description(
        "Allowed lateness of the monitoring and comparison windows (event time): later"
            + " predictions come out in LATE panes; later ones are captured on <topic>-late (the"
            + " monitoring or comparison topic's) with their window and the reason, and never"
            + " leave the predictions topic. A fast replay moves the watermark by"
            + " months per second, so replays want days here.")
    @Default.String("30m")
    String getAllowedLateness();

    void setAllowedLateness(String value);

    @Description(
        "Topic of the predictions that need attention, with their TreeSHAP explanation (JSON;"
            + " key = trip id).")
    @Default.String("tip-reviews")
    String getReviewTopic();

    void setReviewTopic(String value);

    @Description("Lower edge of the low-confidence band: predictions within it go to review.")
    @Default.Double(0.4)
    double getAttentionLow();

    void setAttentionLow(double value);

    @Description("Upper edge of the low-confidence band.")
    @Default.Double(0.6)
    double getAttentionHigh();

    void setAttentionHigh(double value);

    @Description("PSI above which a feature is flagged as drifted.")
    @Default.Double(MonitorPredictions.DEFAULT_PSI_THRESHOLD)
    double getPsiThreshold();

    void setPsiThreshold(double value);

    @Description(
        "Where inference runs: in-process (the model from --modelStore, hot-swapped) or remote"
            + " (the model server's V2 infer at --serverUrl).")
    @Default.String(IN_PROCESS)
    String getInference();

    void setInference(String value);

    @Description(
        "Model server for --inference=remote: a base URL (the infer URL of --modelName is"
            + " derived) or a full V2 infer URL .../v2/models/{name}[/versions/{v}]/infer.")
    @Default.String("http://127.0.0.1:8080")
    String getServerUrl();

    void setServerUrl(String value);

    @Description("--inference=remote: timeout of one call, in milliseconds.")
    @Default.Long(5000)
    long getRemoteTimeoutMs();

    void setRemoteTimeoutMs(long value);

    @Description("--inference=remote: calls per batch at most (1 = no retry).")
    @Default.Integer(3)
    int getRemoteRetries();

    void setRemoteRetries(int value);
  }

  /** {@code --inference} value: score in this JVM. */
  public static final String IN_PROCESS = "in-process";

  /** {@code --inference} value: score through the model server. */
  public static final String REMOTE = "remote";

  private PredictTips() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    run(options).waitUntilFinish();
  }

  /** Builds and starts the pipeline. */
  public static PipelineResult run(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    return pipeline.run();
  }

  /**
   * Adds the steps of this pipeline to {@code pipeline}. Reads the drift reference of the newest
   * model version now (monitoring compares against the data of the version running at start).
   */
  public static void buildPipeline(Pipeline pipeline, Options options) {
    PCollectionTuple out =
        pipeline
            .apply("ReadTripEvents", ReadTripEvents.from(options))
            .apply("PredictAndMonitorTips", predictAndMonitor(options));
    String kafka = options.getBootstrapServers();
    out.get(PredictAndMonitorTips.PREDICTIONS)
        .apply("ToPredictionRecord", MapElements.via(new ToPredictionRecordFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WritePredictions", WriteKeyedStrings.to(kafka, options.getPredictionsTopic()));
    out.get(PredictAndMonitorTips.REVIEWS)
        .apply("ToReviewRecord", MapElements.via(new ToReviewRecordFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WriteReviews", WriteKeyedStrings.to(kafka, options.getReviewTopic()));
    out.get(PredictAndMonitorTips.DEAD_LETTERS)
        .apply("WriteDeadLetters", WriteRejects.toTopic(kafka, options.getDeadLetterTopic()));
    out.get(PredictAndMonitorTips.MONITORING)
        .apply("ToMonitoringRecord", MapElements.via(new ToMonitoringRecordFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WriteMonitoring", WriteKeyedStrings.to(kafka, options.getMonitoringTopic()));
    out.get(PredictAndMonitorTips.MONITORING_LATE)
        .apply(
            "WriteTooLateForMonitoring",
            WriteLateData.<String>toTopic(
                kafka, options.getMonitoringTopic(), "MonitorPredictions", new AsIsFn()));
    if (out.has(PredictAndMonitorTips.COMPARISONS)) {
      out.get(PredictAndMonitorTips.COMPARISONS)
          .apply("ToComparisonRecord", MapElements.via(new ToComparisonRecordFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("WriteComparison", WriteKeyedStrings.to(kafka, options.getComparisonTopic()));
      out.get(PredictAndMonitorTips.COMPARISONS_LATE)
          .apply(
              "WriteTooLateForComparison",
              WriteLateData.<String>toTopic(
                  kafka, options.getComparisonTopic(), "CompareChampionChallenger", new AsIsFn()));
    }
  }

  /**
   * The inference graph configured by the options: what scores (see {@link #scorer(Options)}), the
   * attention policy of the reviews, the monitoring and comparison windows and their lateness.
   * Reads the drift reference of the newest model version now (monitoring compares against the data
   * of the version running at start).
   */
  static PredictAndMonitorTips predictAndMonitor(Options options) {
    Optional<InferenceGraphSpec> spec = graph(options);
    Duration window = BeamDurations.toJoda(Durations.parse(options.getMonitoringWindow()));
    Duration lateness = BeamDurations.toJoda(Durations.parse(options.getAllowedLateness()));
    PredictAndMonitorTips graph =
        PredictAndMonitorTips.of(
            ScoreTrips.with(scorer(options, spec)).withMaxBatchSize(options.getMaxBatchSize()),
            ExplainForReview.withModelsFrom(options.getModelStore())
                .withS3Settings(s3Settings(options))
                .withPolicy(
                    AttentionPolicy.defaults()
                        .withConfidenceBand(options.getAttentionLow(), options.getAttentionHigh())),
            MonitorPredictions.against(
                    reference(options.getModelStore(), s3Settings(options), options.getModelName())
                        .orElse(null))
                .withPsiThreshold(options.getPsiThreshold())
                .withWindow(window)
                .withAllowedLateness(lateness));
    return spec.isEmpty()
        ? graph
        : graph.withComparison(
            CompareChampionChallenger.of(championStep(options, spec.get()))
                .withWindow(window)
                .withAllowedLateness(lateness));
  }

  /** A late element that is already JSON. */
  static final class AsIsFn implements SerializableFunction<String, String> {
    @Override
    public String apply(String json) {
      return json;
    }
  }

  /**
   * What answers: the graph of --graph (its serviceUrl steps with the remote settings below); else,
   * in process, the newest model version in the store, hot-swapped; or, remote, the model server's
   * V2 infer at --serverUrl with --remoteTimeoutMs and --remoteRetries attempts (backoff 100 ms to
   * 2 s, breaker after 5 failed calls for 10 s), feature vectors for drift monitoring from the same
   * model store.
   */
  static TripScorer.Factory scorer(Options options) {
    return scorer(options, graph(options));
  }

  /** {@link #scorer(Options)} with the graph spec already parsed (or empty: no --graph). */
  static TripScorer.Factory scorer(Options options, Optional<InferenceGraphSpec> spec) {
    String store = options.getModelStore();
    S3Settings s3 = s3Settings(options);
    long timeoutMs = options.getRemoteTimeoutMs();
    int attempts = options.getRemoteRetries();
    StepResolver.UrlScorers remote = url -> remote(url, timeoutMs, attempts, store, s3);
    if (spec.isPresent()) {
      StepResolver resolver =
          StepResolver.models(
                  store,
                  s3,
                  java.time.Duration.ofSeconds(options.getModelPollSeconds()),
                  ProcessingClock.system(),
                  Evaluator.parse(options.getEvaluator()))
              .withUrls(remote);
      return InferenceGraph.factory(spec.get(), resolver);
    }
    switch (options.getInference()) {
      case IN_PROCESS:
        return InProcessScorer.latest(
            store,
            s3,
            options.getModelName(),
            java.time.Duration.ofSeconds(options.getModelPollSeconds()),
            ProcessingClock.system(),
            Evaluator.parse(options.getEvaluator()));
      case REMOTE:
        return remote.at(inferUrl(options.getServerUrl(), options.getModelName()));
      default:
        throw new IllegalArgumentException(
            "--inference must be "
                + IN_PROCESS
                + " or "
                + REMOTE
                + ", not "
                + options.getInference());
    }
  }

  /** The remote scorer of {@code inferUrl} with the pipeline's remote settings. */
  static RemoteScorer.Settings remote(
      String inferUrl, long timeoutMs, int attempts, String store, S3Settings s3) {
    return RemoteScorer.at(inferUrl)
        .withTimeout(java.time.Duration.ofMillis(timeoutMs))
        .withRetries(
            attempts, RetryPolicy.DEFAULT.initialBackoff(), RetryPolicy.DEFAULT.maxBackoff())
        .withFeaturesFrom(store, s3);
  }

  /** {@code serverUrl} when it is an infer URL, else its V2 infer URL for {@code model}. */
  static String inferUrl(String serverUrl, String model) {
    if (serverUrl.endsWith("/infer")) {
      return serverUrl;
    }
    return serverUrl.replaceAll("/+$", "") + "/v2/models/" + model + "/infer";
  }

  /** The parsed graph spec, if --graph is set. */
  static Optional<InferenceGraphSpec> graph(Options options) {
    return options.getGraph() == null || options.getGraph().isBlank()
        ? Optional.empty()
        : Optional.of(InferenceGraphSpec.parse(java.nio.file.Path.of(options.getGraph())));
  }

  /** The champion's step: --championStep, else the first step of the root node. */
  static String championStep(Options options, InferenceGraphSpec spec) {
    return options.getChampionStep() != null && !options.getChampionStep().isBlank()
        ? options.getChampionStep()
        : spec.root().steps().get(0).name();
  }

  /** The S3 settings: the environment, with the endpoint option applied. */
  static S3Settings s3Settings(Options options) {
    return S3Settings.fromEnv().withEndpointIfSet(options.getS3Endpoint());
  }

  /** The drift reference of the newest complete version, if it has one. */
  static Optional<FeatureReference> reference(String store, S3Settings s3, String model) {
    try (ModelStore s = ModelStore.open(store, s3)) {
      Optional<String> latest = s.latestVersion(model);
      if (latest.isEmpty()) {
        throw new IllegalArgumentException(
            "no complete version of "
                + model
                + " in "
                + store
                + "; train one first: bin/tidemark train --output "
                + store);
      }
      byte[] json = s.read(model, latest.get()).get(FeatureReference.FILE);
      return json == null
          ? Optional.empty()
          : Optional.of(FeatureReference.fromJson(new String(json, UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model store " + store, e);
    }
  }

  /** Key = trip id, value = the prediction's JSON. */
  static final class ToPredictionRecordFn
      extends SimpleFunction<TripPrediction, KV<String, String>> {
    @Override
    public KV<String, String> apply(TripPrediction p) {
      return KV.of(p.tripId(), p.toJson());
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }

  /** Key = window start, value = the record's JSON. */
  static final class ToMonitoringRecordFn
      extends SimpleFunction<MonitoringRecord, KV<String, String>> {
    @Override
    public KV<String, String> apply(MonitoringRecord r) {
      return KV.of(java.time.Instant.ofEpochMilli(r.windowStart()).toString(), r.toJson());
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }

  /** Key = trip id, value = the review record's JSON. */
  static final class ToReviewRecordFn extends SimpleFunction<ReviewRecord, KV<String, String>> {
    @Override
    public KV<String, String> apply(ReviewRecord r) {
      return KV.of(r.tripId(), r.toJson());
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }

  /** Key = window start, value = the comparison's JSON. */
  static final class ToComparisonRecordFn
      extends SimpleFunction<ChampionChallengerReport, KV<String, String>> {
    @Override
    public KV<String, String> apply(ChampionChallengerReport r) {
      return KV.of(java.time.Instant.ofEpochMilli(r.windowStartMillis()).toString(), r.toJson());
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }
}
