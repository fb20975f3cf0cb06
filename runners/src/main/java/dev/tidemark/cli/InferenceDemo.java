package dev.tidemark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.pipelines.inference.PredictTips;
import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.runners.stack.ModelServerProcess;
import dev.tidemark.runners.stack.StackSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The event-driven half of {@code tidemark demo}: brings up a throw-away local stack (Kafka and the
 * S3 store), trains and publishes a champion and a challenger version of the taxi-tips model,
 * starts the model server, replays the shipped trips through Kafka, runs the streaming inference
 * graph ({@link PredictTips} with a champion/challenger graph: the champion in process, the
 * challenger on the server) and shows its outputs live: windowed monitoring, predictions, review
 * records with explanations and the champion/challenger comparison. Everything it starts is stopped
 * on the way out, also on Ctrl-C.
 */
final class InferenceDemo implements AutoCloseable {

  static final String MODEL = "taxi-tips";
  static final String CHAMPION = "20130101T000000Z";
  static final String CHALLENGER = "20130102T000000Z";
  private static final Duration RUN_LIMIT = Duration.ofMinutes(6);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private final PrintWriter out;
  private final String runner;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Thread onCtrlC;
  private LocalStack stack;
  private ModelServerProcess server;
  private PipelineResult pipeline;

  InferenceDemo(Path workDir, PrintWriter out, String runner) {
    this.workDir = workDir;
    this.out = out;
    this.runner = runner;
    this.onCtrlC = new Thread(this::stopQuietly, "demo-stop-on-ctrl-c");
  }

  /** Runs the flow; returns when every replayed trip has its prediction or dead letter. */
  void run() throws Exception {
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    section("Event-driven inference graph: Kafka -> features -> champion/challenger -> topics");
    startStack();
    S3Settings s3 = S3Settings.fromEnv().withEndpoint(URI.create(stack.settings().s3Endpoint()));
    trainBothVersions(s3);
    startServer(s3);
    Path graph = writeGraph();
    out.println("inference graph (" + graph + "):");
    Files.readAllLines(graph).forEach(l -> out.println("  " + l));
    out.flush();
    long trips = replay();
    runGraph(graph, s3, trips);
  }

  private void startStack() throws IOException {
    // A fresh stack each time: its topics and buckets start empty.
    OutputFiles.deleteRecursively(workDir.resolve("stack"));
    OutputFiles.deleteRecursively(workDir.resolve("outputs"));
    Progress p = Progress.start("starting the local stack (Kafka broker, S3Proxy)");
    try {
      stack = LocalStack.create(StackSettings.ephemeral(workDir.resolve("stack")));
      started.add(stack);
      stack.up();
    } finally {
      p.stop();
    }
    out.printf(
        "local stack up in %s: Kafka %s, S3 %s%n",
        p.elapsed(), stack.settings().kafkaBootstrap(), stack.settings().s3Endpoint());
  }

  /** Champion: the default parameters; challenger: deeper trees, more rounds. */
  private void trainBothVersions(S3Settings s3) {
    train(s3, CHAMPION, "100", "4");
    train(s3, CHALLENGER, "150", "6");
  }

  private void train(S3Settings s3, String version, String rounds, String depth) {
    out.printf("%n-- train %s/%s (rounds %s, depth %s) --%n", MODEL, version, rounds, depth);
    out.flush();
    int rc =
        TidemarkCli.execute(
            "train",
            "--output",
            "s3://models",
            "--s3-endpoint",
            s3.endpoint().toString(),
            "--model-version",
            version,
            "--rounds",
            rounds,
            "--max-depth",
            depth);
    if (rc != 0) {
      throw new UserFacingException(
          "training " + version + " failed (exit code " + rc + ")",
          "run 'bin/tidemark train --output target/models' to see the error alone");
    }
  }

  private void startServer(S3Settings s3) throws Exception {
    Progress p = Progress.start("starting the model server (its own JVM, Beam-free)");
    try {
      server =
          ModelServerProcess.start(
              "s3://models",
              workDir.resolve("model-server.log"),
              2,
              Map.of("AWS_ENDPOINT_URL", s3.endpoint().toString()));
      started.add(server);
    } finally {
      p.stop();
    }
    out.printf(
        "%nmodel server up: %s (serving s3://models, newest version; log %s)%n",
        server.url(), workDir.resolve("model-server.log"));
  }

  /** A shadow champion/challenger graph: both answer every trip, the champion's answer counts. */
  private Path writeGraph() throws IOException {
    String yaml =
        String.join(
            "\n",
            "apiVersion: serving.kserve.io/v1alpha1",
            "kind: InferenceGraph",
            "metadata:",
            "  name: taxi-tips-shadow",
            "spec:",
            "  nodes:",
            "    root:",
            "      routerType: Ensemble",
            "      steps:",
            "        - name: champion",
            "          serviceName: " + MODEL + "@" + CHAMPION,
            "        - name: challenger",
            "          serviceUrl: "
                + server.url()
                + "/v2/models/"
                + MODEL
                + "/versions/"
                + CHALLENGER
                + "/infer",
            "          dependency: Soft",
            "");
    Path file = workDir.resolve("graph.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** Replays the shipped trips (1% malformed, 1% late) as fast as possible; returns the count. */
  private long replay() {
    out.printf("%n-- replay data/chicago-taxi/trips.csv into Kafka topic 'trips' --%n");
    out.flush();
    int rc =
        TidemarkCli.execute(
            "replay",
            "--bootstrap-servers",
            stack.settings().kafkaBootstrap(),
            "--speedup",
            "0",
            "--malformed",
            "1%",
            "--late",
            "1%");
    if (rc != 0) {
      throw new UserFacingException(
          "the replay failed (exit code " + rc + ")", "run again with --verbose");
    }
    try (TopicTail t = new TopicTail(stack.settings().kafkaBootstrap(), List.of("trips"))) {
      return t.size("trips");
    }
  }

  private void runGraph(Path graph, S3Settings s3, long events) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + runner);
    args.add("--blockOnRun=false");
    args.add("--bootstrapServers=" + stack.settings().kafkaBootstrap());
    args.add("--modelStore=s3://models");
    args.add("--s3Endpoint=" + s3.endpoint());
    args.add("--graph=" + graph);
    args.add("--follow=true");
    args.add("--idleTimeoutSeconds=30");
    args.add("--monitoringWindow=30d");
    args.add("--allowedLateness=3650d");
    if (runner.equals("DirectRunner")) {
      args.add("--enforceImmutability=false");
    }
    if (runner.equals("FlinkRunner")) {
      // Embedded Flink, streaming; detached so that run() returns a handle to watch and cancel.
      args.add("--flinkMaster=[local]");
      args.add("--streaming=true");
      args.add("--attachedMode=false");
    }
    PredictTips.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(PredictTips.Options.class);
    out.printf(
        "%n-- streaming inference graph on %s: %,d trip events -> predictions --%n",
        runner, events);
    out.println("   (live: one line every 2 s; monitoring windows of 30 days of event time)");
    out.flush();
    pipeline = PredictTips.run(options);
    started.add(() -> pipeline.cancel());
    LiveView view = new LiveView();
    long start = System.nanoTime();
    try (TopicTail tail =
        new TopicTail(
            stack.settings().kafkaBootstrap(),
            List.of(
                options.getPredictionsTopic(),
                options.getDeadLetterTopic(),
                options.getMonitoringTopic(),
                options.getReviewTopic(),
                options.getComparisonTopic()))) {
      long lastLine = 0;
      while (view.predictions + view.deadLetters < events) {
        if (System.nanoTime() - start > RUN_LIMIT.toNanos()) {
          out.printf(
              "stopping after %s: only %,d of %,d events came out%n",
              RUN_LIMIT, view.predictions + view.deadLetters, events);
          break;
        }
        PipelineResult.State state = pipeline.getState();
        if (state.isTerminal()) {
          throw new UserFacingException(
              "the streaming pipeline ended early in state " + state, "run again with --verbose");
        }
        Map<String, List<String>> fresh = tail.poll(Duration.ofMillis(500));
        view.add(options, fresh);
        save(fresh);
        long now = System.nanoTime();
        if (now - lastLine > 2_000_000_000L) {
          lastLine = now;
          out.println(view.line((now - start) / 1e9));
          out.flush();
        }
      }
      // The last windows close when the watermark passes them: wait until their records stop
      // coming (4 s without one), at most 30 s. The newest window stays open: the watermark of a
      // followed topic waits for more data.
      long cap = System.nanoTime() + 30_000_000_000L;
      long quietSince = System.nanoTime();
      while (System.nanoTime() < cap && System.nanoTime() - quietSince < 4_000_000_000L) {
        Map<String, List<String>> fresh = tail.poll(Duration.ofMillis(500));
        if (!fresh.get(options.getMonitoringTopic()).isEmpty()
            || !fresh.get(options.getComparisonTopic()).isEmpty()) {
          quietSince = System.nanoTime();
        }
        view.add(options, fresh);
        save(fresh);
      }
      out.println(view.line((System.nanoTime() - start) / 1e9));
    }
    view.summary(out, events);
    out.println();
    out.println("every record of the output topics: " + workDir.resolve("outputs") + "/*.jsonl");
  }

  /** Appends what arrived to {@code <work-dir>/outputs/<topic>.jsonl}. */
  private void save(Map<String, List<String>> fresh) throws IOException {
    Path dir = workDir.resolve("outputs");
    Files.createDirectories(dir);
    for (Map.Entry<String, List<String>> e : fresh.entrySet()) {
      if (!e.getValue().isEmpty()) {
        Files.write(
            dir.resolve(e.getKey() + ".jsonl"),
            e.getValue(),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
    }
  }

  private void section(String title) {
    out.println();
    out.println("== " + title + " ==");
    out.flush();
  }

  /** Stops everything started, newest first; what Ctrl-C and the end of the demo both do. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
    } catch (IllegalStateException e) {
      // Already shutting down (Ctrl-C): the hook is running.
    }
  }

  private synchronized void stopQuietly() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("  while stopping: " + e);
      }
    }
    started.clear();
  }

  /** What the demo has seen on the output topics so far. */
  private static final class LiveView {
    long predictions;
    long deadLetters;
    long reviews;
    long onTimeWindows;
    long lateWindows;
    long lateEvents;
    double maxP99 = Double.NaN;
    final List<JsonNode> samplePredictions = new ArrayList<>();
    final List<JsonNode> sampleReviews = new ArrayList<>();
    final Map<String, long[]> driftAlerts = new TreeMap<>();
    final List<JsonNode> comparisons = new ArrayList<>();
    final List<JsonNode> monitoring = new ArrayList<>();
    final List<Long> watermarkLags = new ArrayList<>();

    void add(PredictTips.Options o, Map<String, List<String>> fresh) {
      for (String v : fresh.get(o.getPredictionsTopic())) {
        predictions++;
        if (samplePredictions.size() < 5 && predictions % 997 == 1) {
          samplePredictions.add(read(v));
        }
      }
      deadLetters += fresh.get(o.getDeadLetterTopic()).size();
      for (String v : fresh.get(o.getReviewTopic())) {
        reviews++;
        JsonNode r = read(v);
        if (sampleReviews.size() < 3 && r.path("explanation").isObject()) {
          sampleReviews.add(r);
        }
      }
      for (String v : fresh.get(o.getMonitoringTopic())) {
        JsonNode m = read(v);
        monitoring.add(m);
        if ("LATE".equals(m.path("timing").asText())) {
          lateWindows++;
          lateEvents += m.path("lateEvents").asLong();
        } else {
          onTimeWindows++;
        }
        if (m.path("watermarkLagMs").isNumber()) {
          watermarkLags.add(m.path("watermarkLagMs").asLong());
        }
        double p99 = m.path("latencyP99Ms").asDouble(Double.NaN);
        if (!Double.isNaN(p99) && (Double.isNaN(maxP99) || p99 > maxP99)) {
          maxP99 = p99;
        }
        for (JsonNode d : m.path("drift")) {
          long[] c = driftAlerts.computeIfAbsent(d.path("feature").asText(), k -> new long[2]);
          c[1]++;
          if (d.path("psiAlert").asBoolean()) {
            c[0]++;
          }
        }
      }
      for (String v : fresh.get(o.getComparisonTopic())) {
        comparisons.add(read(v));
      }
    }

    String line(double seconds) {
      return String.format(
          "  %5.1f s  predictions %,7d | dead letters %,5d | for review %,5d | monitoring"
              + " windows %,4d on time + %,3d late | worst window p99 latency %s",
          seconds,
          predictions,
          deadLetters,
          reviews,
          onTimeWindows,
          lateWindows,
          Double.isNaN(maxP99) ? "-" : String.format("%.0f ms", maxP99));
    }

    void summary(PrintWriter out, long events) {
      out.println();
      out.printf(
          "%,d trip events in -> %,d predictions + %,d dead letters (%s)%n",
          events,
          predictions,
          deadLetters,
          predictions + deadLetters == events ? "all accounted for" : "NOT all accounted for");
      out.println();
      out.println(
          "sample predictions: P(tip > 20% of the fare); the champion answers, in process;");
      out.println("the challenger shadows it on the model server (V2 infer):");
      out.printf(
          "  %-16s %-20s %9s %11s %8s%n",
          "trip", "event time", "champion", "challenger", "latency");
      for (JsonNode p : samplePredictions) {
        JsonNode steps = p.path("steps");
        out.printf(
            "  %-16s %-20s %9.4f %11s %5d ms%n",
            p.path("tripId").asText(),
            p.path("eventTime").asText(),
            p.path("probability").asDouble(),
            steps.size() > 1
                ? String.format("%.4f", steps.get(1).path("probability").asDouble())
                : "-",
            p.path("latencyMs").asLong());
      }
      out.println();
      out.println(
          "predictions for review (low confidence or inputs outside the training range), with"
              + " their TreeSHAP explanation (log-odds contributions):");
      for (JsonNode r : sampleReviews) {
        out.printf(
            "  trip %s p=%.3f: %s%n",
            r.path("tripId").asText(),
            r.path("probability").asDouble(),
            String.join("; ", texts(r.path("reasons"))));
        out.printf("    bias %+.3f", r.path("explanation").path("bias").asDouble());
        for (JsonNode c : r.path("explanation").path("top")) {
          out.printf(
              ", %s=%s %+.3f",
              c.path("feature").asText(),
              c.path("value").asText(),
              c.path("contribution").asDouble());
        }
        out.println();
      }
      out.println();
      out.printf(
          "monitoring: %,d windows on time, %,d late panes (%,d late events); worst window p99"
              + " latency %s; watermark lag at window close: median %s, max %s%n",
          onTimeWindows,
          lateWindows,
          lateEvents,
          Double.isNaN(maxP99) ? "-" : String.format("%.0f ms", maxP99),
          days(percentile(watermarkLags, 0.5)),
          days(percentile(watermarkLags, 1.0)));
      out.println("  (lag in event time: the replay publishes years of trips in seconds, so the");
      out.println("   watermark trails the newest trip read by days when a window closes)");
      long monitored = 0;
      for (JsonNode m : monitoring) {
        monitored += m.path("predictions").asLong();
      }
      out.printf(
          "  the closed windows hold %,d of the %,d predictions (the rest: windows still open when"
              + " the demo stops, or too late for their window)%n",
          monitored, predictions);
      out.println("input drift against the training data: windows with a PSI alert / windows:");
      driftAlerts.forEach((f, c) -> out.printf("  %-24s %,4d / %,4d%n", f, c[0], c[1]));
      out.println(
          "  (trip_start_month: a month-long window holds one month, always far from training's"
              + " all-year mix)");
      out.println();
      out.println("champion/challenger comparison over all windows (trips both answered):");
      long pairs = 0;
      double diff = 0;
      double agree = 0;
      for (JsonNode c : comparisons) {
        for (JsonNode pr : c.path("pairs")) {
          long n = pr.path("pairs").asLong();
          pairs += n;
          diff += n * pr.path("meanAbsoluteDifference").asDouble();
          agree += n * pr.path("agreementRate").asDouble();
        }
      }
      if (pairs > 0) {
        long windows =
            comparisons.stream().map(c -> c.path("windowStart").asText()).distinct().count();
        out.printf(
            "  %,d pairs in %,d windows (%,d panes: on time, then late): mean |champion -"
                + " challenger| %.4f, same decision at 0.5 for %.1f%%%n",
            pairs, windows, comparisons.size(), diff / pairs, 100 * agree / pairs);
      }
      out.println(
          "  last window: "
              + (comparisons.isEmpty() ? "-" : comparisons.get(comparisons.size() - 1)));
    }

    private static List<String> texts(JsonNode array) {
      List<String> out = new ArrayList<>();
      array.forEach(n -> out.add(n.asText()));
      return out;
    }

    private static double percentile(List<Long> values, double q) {
      if (values.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(values);
      java.util.Collections.sort(sorted);
      return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * (sorted.size() - 1))));
    }

    private static String days(double millis) {
      return Double.isNaN(millis) ? "-" : String.format("%.1f days", millis / 86_400_000.0);
    }

    private static JsonNode read(String v) {
      try {
        return JSON.readTree(v);
      } catch (IOException e) {
        return JSON.createObjectNode().put("unreadable", v);
      }
    }
  }
}
