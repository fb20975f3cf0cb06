package dev.tidemark.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.tidemark.pipelines.TripsPerAreaHour;
import dev.tidemark.runners.stack.FlinkCluster;
import dev.tidemark.runners.stack.FlinkSettings;
import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The conformance aggregation (trips and fare sum per pickup community area per event-time hour)
 * submitted to a real standalone Flink 1.19 session cluster, a JobManager and a TaskManager in
 * their own JVMs, with {@code --runner=FlinkRunner --flinkMaster=127.0.0.1:<port>} and the bundled
 * jar staged, gives the same result set as DirectRunner; the cluster is stopped afterwards.
 */
public class FlinkClusterIT {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static FlinkCluster cluster;

  @BeforeClass
  public static void startCluster() throws IOException {
    cluster = FlinkCluster.create(FlinkSettings.ephemeral(TMP.newFolder("flink").toPath()));
    long start = System.nanoTime();
    LocalStack.Status status = cluster.up();
    assertTrue("cluster healthy after up: " + status, status.healthy());
    report("cluster up", start);
  }

  @AfterClass
  public static void stopCluster() {
    if (cluster != null) {
      long start = System.nanoTime();
      cluster.down();
      report("cluster down", start);
      assertTrue("no Flink process left behind", cluster.status().stopped());
    }
  }

  /** The remote cluster computes exactly the reference (DirectRunner) totals and no dead letter. */
  @Test
  public void remoteFlinkClusterMatchesDirectRunner() throws IOException {
    SortedSet<String> direct = runOn("direct", "--runner=DirectRunner");
    SortedSet<String> remote =
        runOn(
            "remote-flink",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.settings().flinkMaster(),
            "--filesToStage=" + bundledJar());

    assertThat(remote, equalTo(direct));
    assertThat(remote, hasSize(11_382));
    // The shipped sample is clean: every one of its 12,002 trips is aggregated.
    assertEquals(
        12_002, remote.stream().mapToLong(line -> Long.parseLong(line.split(",")[2])).sum());
    assertThat(
        readShards(TMP.getRoot().toPath().resolve("remote-flink"), "dead-letters"), hasSize(0));
    // The job really ran on the cluster, not in an embedded MiniCluster.
    assertThat(
        cluster.status().servers().get(0).detail(),
        equalTo("1 taskmanager(s), 2 slot(s), 0 job(s) running, 1 finished"));
  }

  /** The jar that {@code package} builds (before failsafe runs): Tidemark, Beam and its runners. */
  private static Path bundledJar() throws IOException {
    Path target = cluster.settings().repositoryRoot().resolve("runners/target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("tidemark-bundled-.*\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "no bundled jar in " + target + ": run mvn package -pl runners -am first"));
    }
  }

  private static SortedSet<String> runOn(String name, String... runnerArgs) throws IOException {
    Path out = TMP.getRoot().toPath().resolve(name);
    List<String> args = new ArrayList<>(List.of(runnerArgs));
    args.add("--input=" + SampleData.taxiTrips());
    args.add("--output=" + out.resolve("totals"));
    args.add("--deadLetterOutput=" + out.resolve("dead-letters"));
    TripsPerAreaHour.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(TripsPerAreaHour.Options.class);
    long start = System.nanoTime();
    PipelineResult.State state = TripsPerAreaHour.run(options).waitUntilFinish();
    report(name + " run", start);
    assertEquals(name + " run state", PipelineResult.State.DONE, state);
    List<String> rows = readShards(out, "totals");
    rows.removeIf(line -> line.startsWith("pickup_area,"));
    return new TreeSet<>(rows);
  }

  /** The figures that the test log keeps (stderr): how long each phase took. */
  private static void report(String what, long startNanos) {
    System.err.printf(
        "FlinkClusterIT: %s in %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
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
