package dev.tidemark.pipelines.play;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/**
 * Runs every example scenario of {@code testing/scenarios/} and compares its JSON lines with the
 * expected file next to it ({@code NAME.yaml} → {@code NAME.jsonl}). The expected files were
 * checked by hand against the Dataflow model (each scenario's comment says what fires and why).
 */
public class PlayScenariosTest {
  private static final Path SCENARIOS = Path.of("..", "testing", "scenarios");

  private static PipelineOptions directRunner() {
    return PipelineOptionsFactory.fromArgs(
            "--runner=DirectRunner",
            "--blockOnRun=true",
            "--targetParallelism=1",
            "--enforceImmutability=false",
            "--enforceEncodability=false")
        .create();
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** Every example scenario prints exactly its expected JSON lines. */
  @Test
  public void everyExampleScenarioPrintsItsExpectedRecords() throws IOException {
    List<Path> examples = examples();
    assertTrue("examples found in " + SCENARIOS.toAbsolutePath(), examples.size() >= 10);
    List<String> failures = new ArrayList<>();
    for (Path yaml : examples) {
      Path expected = Path.of(yaml.toString().replaceAll("\\.yaml$", ".jsonl"));
      assertTrue("expected output " + expected + " exists", Files.exists(expected));
      Scenario scenario = ScenarioParser.parse(yaml);
      List<String> actual =
          PlayFormats.jsonl(PlayScenario.run(scenario, directRunner()), PlayFormats.day(scenario));
      List<String> want = Files.readAllLines(expected);
      if (!want.equals(actual)) {
        failures.add(
            yaml.getFileName()
                + "\n  expected:\n    "
                + String.join("\n    ", want)
                + "\n  actual:\n    "
                + String.join("\n    ", actual));
      }
    }
    assertEquals("scenarios whose records differ", "", String.join("\n", failures));
  }

  /** A JSON scenario runs like a YAML one; mean gives an exact decimal. */
  @Test
  public void jsonScenarioRunsLikeYaml() {
    Scenario s =
        ScenarioParser.parse(
            "mean.json",
            "{\"start\": \"12:00:00\", \"stream\": [{\"watermark\": \"12:00:00\"},"
                + " {\"events\": [{\"key\": \"k\", \"value\": 1.5, \"time\": \"12:00:10\"},"
                + " {\"key\": \"k\", \"value\": 2, \"time\": \"12:00:20\"}]}, {\"watermark\": \"end\"}],"
                + " \"pipeline\": {\"window\": {\"fixed\": \"2m\"}, \"combine\": \"mean\"}}");
    assertEquals(
        List.of(
            "{\"kind\":\"pane\",\"key\":\"k\",\"window\":{\"start\":\"12:00:00\",\"end\":\"12:02:00\"},"
                + "\"value\":1.75,\"timing\":\"ON_TIME\",\"index\":0,\"onTimeIndex\":0,"
                + "\"first\":true,\"last\":true}"),
        PlayFormats.jsonl(PlayScenario.run(s, directRunner()), PlayFormats.day(s)));
  }

  /** Beam refuses a trigger that can finish (repeat-until): a scenario error at the trigger. */
  @Test
  public void finishingTriggerIsAScenarioError() {
    Scenario s =
        ScenarioParser.parse(
            "until.yaml",
            "start: \"12:00:00\"\n"
                + "events: [{key: k, value: 1, time: \"12:00:10\"}]\n"
                + "pipeline:\n"
                + "  window: {fixed: 2m}\n"
                + "  trigger: {repeat: {after-count: 2}, until: {after-count: 5}}\n"
                + "  combine: sum\n");
    ScenarioException e =
        org.junit.Assert.assertThrows(
            ScenarioException.class, () -> PlayScenario.run(s, directRunner()));
    assertTrue(
        e.getMessage(), e.getMessage().startsWith("until.yaml:5: pipeline.trigger: Beam refuses"));
  }
}
