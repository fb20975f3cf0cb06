package dev.tidemark.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;

import dev.tidemark.pipelines.TripsPerAreaHour;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The same windowed aggregation over the taxi sample (trips and fare sum per pickup community area
 * per event-time hour) gives the identical result set on DirectRunner, FlinkRunner (embedded) and
 * SparkRunner (local[2]), with only {@code --runner} and its master option changed; malformed rows
 * are dead-lettered and every row is accounted for.
 */
public class CrossRunnerConformanceTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Malformed rows appended to the shipped sample, one per kind of defect. */
  private static final List<String> MALFORMED_ROWS =
      List.of(
          "8,not-a-fare,3,19,5,1362683700,,,,,0,,,Cash,,300,,0",
          "8,5.25,3,19,5,,,,,,0,,,Cash,,300,,0",
          "8,5.25,3,19",
          "{\"fare\": 5.25}");

  private static Path input;
  private static long dataRows;
  private static SortedSet<String> directResult;

  @BeforeClass
  public static void writeInputAndRunDirect() throws IOException {
    input = TMP.getRoot().toPath().resolve("trips-with-defects.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(SampleData.taxiTrips()));
    lines.addAll(MALFORMED_ROWS);
    Files.write(input, lines, StandardCharsets.UTF_8);
    dataRows = lines.size() - 1; // minus the header
    directResult = runOn("direct", "--runner=DirectRunner");
  }

  /** The reference run: every data row is either in an aggregate or a dead letter. */
  @Test
  public void directRunnerAccountsForEveryRow() throws IOException {
    long aggregated =
        directResult.stream().mapToLong(line -> Long.parseLong(line.split(",")[2])).sum();
    List<String> deadLetters = readShards(TMP.getRoot().toPath().resolve("direct"), "dead-letters");
    assertThat(deadLetters, hasSize(MALFORMED_ROWS.size()));
    assertEquals("rows in = aggregated + dead-lettered", dataRows, aggregated + deadLetters.size());
    assertEquals(12_002, aggregated);
  }

  /**
   * The reference run is right: it equals a plain-Java recomputation from the raw CSV columns
   * (area, fare, start time), written here without any Tidemark code.
   */
  @Test
  public void directRunnerMatchesAPlainJavaRecomputation() throws IOException {
    java.util.Map<String, long[]> totals = new java.util.TreeMap<>();
    List<String> lines = Files.readAllLines(SampleData.taxiTrips());
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String area = f[0].isEmpty() ? "unknown" : f[0];
      long hourStart = Long.parseLong(f[5]) / 3600 * 3600;
      String key = area + "," + java.time.Instant.ofEpochSecond(hourStart);
      long[] t = totals.computeIfAbsent(key, k -> new long[2]);
      t[0]++;
      t[1] += new java.math.BigDecimal(f[1]).movePointRight(2).longValueExact();
    }
    SortedSet<String> expected = new TreeSet<>();
    totals.forEach(
        (k, t) ->
            expected.add(
                k + "," + t[0] + "," + (t[1] / 100) + "." + String.format("%02d", t[1] % 100)));
    assertThat(directResult, equalTo(expected));
  }

  /** Embedded Flink (a MiniCluster in this JVM) gives the identical result set. */
  @Test
  public void flinkRunnerMatchesDirectRunner() throws IOException {
    SortedSet<String> flink = runOn("flink", "--runner=FlinkRunner", "--flinkMaster=[local]");
    assertThat(flink, equalTo(directResult));
    assertThat(
        readShards(TMP.getRoot().toPath().resolve("flink"), "dead-letters"),
        hasSize(MALFORMED_ROWS.size()));
  }

  /** Spark in local mode with two threads gives the identical result set. */
  @Test
  public void sparkRunnerMatchesDirectRunner() throws IOException {
    SortedSet<String> spark = runOn("spark", "--runner=SparkRunner", "--sparkMaster=local[2]");
    assertThat(spark, equalTo(directResult));
    assertThat(
        readShards(TMP.getRoot().toPath().resolve("spark"), "dead-letters"),
        hasSize(MALFORMED_ROWS.size()));
  }

  private static SortedSet<String> runOn(String name, String... runnerArgs) throws IOException {
    Path out = TMP.getRoot().toPath().resolve(name);
    List<String> args = new ArrayList<>(List.of(runnerArgs));
    args.add("--input=" + input);
    args.add("--output=" + out.resolve("totals"));
    args.add("--deadLetterOutput=" + out.resolve("dead-letters"));
    TripsPerAreaHour.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(TripsPerAreaHour.Options.class);
    PipelineResult.State state = TripsPerAreaHour.run(options).waitUntilFinish();
    assertEquals(name + " run state", PipelineResult.State.DONE, state);
    List<String> rows = readShards(out, "totals");
    rows.removeIf(line -> line.startsWith("pickup_area,"));
    return new TreeSet<>(rows);
  }

  private static List<String> readShards(Path dir, String prefix) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }
}
