package dev.tidemark.runners;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.pipelines.BatchTripsPerAreaHour;
import dev.tidemark.pipelines.Retention;
import dev.tidemark.pipelines.RetentionDemoData;
import dev.tidemark.pipelines.TrainTaxiTips;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every registered batch pipeline on SparkRunner ({@code local[2]}) gives exactly what it gives on
 * DirectRunner, with only {@code --runner} and {@code --sparkMaster} changed: every output file
 * (results, dead letters, late data, the model and its metrics) compared line for line, sorted;
 * only the model card's times and runner name, and the completion marker's time, may differ. The
 * streaming pipelines are documented in {@code runners/README.md}: Beam's Spark runner runs
 * unbounded Kafka reads only in its legacy DStream mode, without watermark-driven event-time
 * triggers on Kafka's SDF reader, so they are tested on DirectRunner and Flink.
 *
 * <p>Not here: {@code trips-per-area-hour} has its own three-runner test ({@link
 * CrossRunnerConformanceTest}); {@code archive-trip-events} reads a Kafka log (see {@code
 * SparkArchiveIT}).
 */
public class SparkRunnerMatrixTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String[] DIRECT = {"--runner=DirectRunner"};
  private static final String[] SPARK = {"--runner=SparkRunner", "--sparkMaster=local[2]"};

  /**
   * Lines of the model card that say when, where to and on which runner it ran, not what it
   * computed.
   */
  private static final java.util.regex.Pattern RUN_SPECIFIC =
      java.util.regex.Pattern.compile(
          "\"(trainingStarted|trainingFinished|exported|runner|output)\"\\s*:");

  private static Path archive;
  private static Path sessions;

  @BeforeClass
  public static void writeInputs() throws IOException {
    // An archive as archive-trip-events writes it: one JSON trip event per line, by event date;
    // plus one line that is not a trip event.
    archive = TMP.newFolder("archive").toPath();
    List<String> lines = Files.readAllLines(SampleData.taxiTrips(), UTF_8);
    SortedMap<String, List<String>> byDate = new TreeMap<>();
    for (String line : lines.subList(1, 2_001)) {
      long start = Long.parseLong(line.split(",", -1)[5]);
      String date = Instant.ofEpochSecond(start).atZone(ZoneOffset.UTC).toLocalDate().toString();
      try {
        byDate
            .computeIfAbsent(date, d -> new ArrayList<>())
            .add(new String(TaxiTripJson.toJson(TaxiTripCsv.parse(line)), UTF_8));
      } catch (dev.tidemark.core.trip.MalformedTripException e) {
        throw new IllegalStateException(e);
      }
    }
    byDate.get(byDate.firstKey()).add("{\"fare\": \"not a number\"}");
    for (Map.Entry<String, List<String>> e : byDate.entrySet()) {
      Path dir = Files.createDirectories(archive.resolve("event_date=" + e.getKey()));
      Files.write(dir.resolve("part-0.jsonl"), e.getValue(), UTF_8);
    }
    sessions = RetentionDemoData.write(TMP.getRoot().toPath().resolve("sessions.jsonl"));
  }

  /** The Lambda batch layer: per-area, per-hour totals recomputed from the archive. */
  @Test
  public void batchTripsPerAreaHour() throws IOException {
    assertSameOutputs(
        "batch-trips",
        (runner, out) -> {
          List<String> args = new ArrayList<>(List.of(runner));
          args.add("--input=" + archive + "/event_date=*/*.jsonl");
          args.add("--output=" + out.resolve("totals"));
          args.add("--deadLetterOutput=" + out.resolve("dead-letters"));
          return BatchTripsPerAreaHour.run(options(args, BatchTripsPerAreaHour.Options.class));
        });
  }

  /** The training pipeline: the same model, byte for byte, and the same rejects. */
  @Test
  public void trainTaxiTips() throws IOException {
    assertSameOutputs(
        "train",
        (runner, out) -> {
          List<String> args = new ArrayList<>(List.of(runner));
          args.add("--input=" + SampleData.taxiTrips());
          args.add("--output=" + out.resolve("models"));
          args.add("--modelVersion=20261204T000000Z");
          args.add("--rejectsOutput=" + out.resolve("rejects"));
          return TrainTaxiTips.run(options(args, TrainTaxiTips.Options.class));
        });
    Path model =
        TMP.getRoot()
            .toPath()
            .resolve("train-spark/models/taxi-tips/20261204T000000Z/" + ModelFiles.MODEL_JSON);
    assertThat(Files.size(model), greaterThan(1_000L));
  }

  /** Complex event processing: the same retention actions, dead letters and late events. */
  @Test
  public void retention() throws IOException {
    assertSameOutputs(
        "retention",
        (runner, out) -> {
          List<String> args = new ArrayList<>(List.of(runner));
          args.add("--input=" + sessions);
          args.add("--output=" + out.resolve("actions"));
          args.add("--deadLetterOutput=" + out.resolve("dead-letters"));
          args.add("--lateOutput=" + out.resolve("late-events"));
          return Retention.run(options(args, Retention.Options.class));
        });
  }

  /** Runs a pipeline writing under the directory it is given. */
  interface Run {
    PipelineResult start(String[] runner, Path out) throws IOException;
  }

  private static void assertSameOutputs(String name, Run run) throws IOException {
    Path direct = TMP.getRoot().toPath().resolve(name + "-direct");
    Path spark = TMP.getRoot().toPath().resolve(name + "-spark");
    assertEquals(PipelineResult.State.DONE, run.start(DIRECT, direct).waitUntilFinish());
    assertEquals(PipelineResult.State.DONE, run.start(SPARK, spark).waitUntilFinish());
    SortedMap<String, List<String>> onDirect = outputs(direct);
    SortedMap<String, List<String>> onSpark = outputs(spark);
    assertThat(onDirect.size(), greaterThan(0));
    assertThat(onDirect.values().stream().mapToInt(List::size).sum(), greaterThan(0));
    if (!onSpark.equals(onDirect)) {
      // Keep both runs for a diff: target/spark-matrix/<name>-{direct,spark}.
      Path kept = Path.of("target", "spark-matrix");
      for (Path output : List.of(direct, spark)) {
        try (Stream<Path> files = Files.walk(output)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            Path to = kept.resolve(output.getFileName()).resolve(output.relativize(f).toString());
            Files.createDirectories(to.getParent());
            Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      for (String file : onDirect.keySet()) {
        assertThat(file + " on Spark", onSpark.get(file), equalTo(onDirect.get(file)));
      }
    }
    assertThat(onSpark, equalTo(onDirect));
  }

  /**
   * Every output file's lines, sorted, by file name with the shard numbers left out (runners may
   * shard differently).
   */
  private static SortedMap<String, List<String>> outputs(Path dir) throws IOException {
    SortedMap<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = dir.relativize(f).toString();
        if (relative.contains("/.") || relative.startsWith(".")) {
          continue; // a runner's temporary or checksum file
        }
        String key = relative.replaceAll("-\\d{5}-of-\\d{5}", "");
        List<String> lines = out.computeIfAbsent(key, k -> new ArrayList<>());
        if (f.getFileName().toString().equals("_COMPLETE")) {
          // Its time and its checksum of the model card differ by run; its presence is compared.
          continue;
        }
        for (String line : Files.readAllLines(f, UTF_8)) {
          if (!RUN_SPECIFIC.matcher(line).find()) {
            lines.add(line);
          }
        }
        lines.sort(null);
      }
    }
    return out;
  }

  private static <T extends PipelineOptions> T options(List<String> args, Class<T> type) {
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(type);
  }
}
