package dev.tidemark.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;

import dev.tidemark.pipelines.Retention;
import dev.tidemark.pipelines.RetentionDemoData;
import dev.tidemark.transforms.retention.CustomerEventJson;
import dev.tidemark.transforms.retention.MalformedEventException;
import dev.tidemark.transforms.retention.RetentionAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The retention pipeline gives the same actions, in the same output order, on DirectRunner and on
 * FlinkRunner (embedded MiniCluster) for the demo session log, whose lines arrive shuffled.
 */
public class RetentionCrossRunnerTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path input;
  private static List<String> direct;

  @BeforeClass
  public static void writeLogAndRunDirect() throws IOException {
    input = RetentionDemoData.write(TMP.getRoot().toPath().resolve("sessions.jsonl"));
    direct = runOn("direct", "--runner=DirectRunner");
  }

  /** The reference run holds the scripted stories' actions, and 22 actions in all. */
  @Test
  public void directRunnerYieldsTheScriptedActions() {
    assertThat(
        direct,
        hasItems(
            "{\"customer\": \"alice\", \"dropped_at\": \"2026-01-01T12:07:00Z\", \"cart_value\": 37.5}",
            "{\"customer\": \"frank\", \"dropped_at\": \"2026-01-01T12:40:00Z\", \"cart_value\": 15.0}",
            "{\"customer\": \"grace\", \"dropped_at\": \"2026-01-01T12:50:00Z\", \"cart_value\": null}",
            "{\"customer\": \"heidi\", \"dropped_at\": \"2026-01-01T13:05:00Z\", \"cart_value\": 5.0}",
            "{\"customer\": \"heidi\", \"dropped_at\": \"2026-01-01T13:15:00Z\", \"cart_value\": 7.5}"));
    assertThat(direct, hasSize(22));
    for (String quiet : List.of("bob", "carol", "dave", "erin")) {
      assertEquals(
          quiet + " gets no action",
          0,
          direct.stream().filter(l -> l.contains("\"" + quiet + "\"")).count());
    }
  }

  /** Embedded Flink gives the identical, identically ordered output and dead letters. */
  @Test
  public void flinkRunnerMatchesDirectRunner() throws IOException {
    List<String> flink = runOn("flink", "--runner=FlinkRunner", "--flinkMaster=[local]");
    assertEquals(direct, flink);
    assertThat(
        readShards(TMP.getRoot().toPath().resolve("flink"), "dead-letters"),
        hasSize(RetentionDemoData.MALFORMED_LINES));
  }

  private static List<String> runOn(String name, String... runnerArgs) throws IOException {
    Path out = TMP.getRoot().toPath().resolve(name);
    List<String> args = new ArrayList<>(List.of(runnerArgs));
    args.add("--input=" + input);
    args.add("--output=" + out.resolve("actions"));
    args.add("--deadLetterOutput=" + out.resolve("dead-letters"));
    args.add("--lateOutput=" + out.resolve("late-events"));
    Retention.Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(Retention.Options.class);
    PipelineResult.State state = Retention.run(options).waitUntilFinish();
    assertEquals(name + " run state", PipelineResult.State.DONE, state);
    List<RetentionAction> actions = new ArrayList<>();
    for (String line : readShards(out, "actions")) {
      try {
        actions.add(CustomerEventJson.parseAction(line));
      } catch (MalformedEventException e) {
        throw new AssertionError(e.getMessage(), e);
      }
    }
    actions.sort(RetentionAction.ORDER);
    return actions.stream().map(RetentionAction::toJson).toList();
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
