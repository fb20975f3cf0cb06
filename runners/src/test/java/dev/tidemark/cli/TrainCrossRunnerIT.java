package dev.tidemark.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.store.ModelStore;
import dev.tidemark.testing.SampleData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code tidemark train} on DirectRunner and on the embedded FlinkRunner (a Flink MiniCluster):
 * both publish a complete version, print the summary, and produce the byte-identical model.
 */
public class TrainCrossRunnerIT {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private String train(Path models, String runner, String version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code =
          TidemarkCli.execute(
              "train",
              "--input",
              SampleData.taxiTrips().toString(),
              "--output",
              models.toString(),
              "--runner",
              runner,
              "--model-version",
              version);
      assertEquals(0, code);
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Same input and seed on two runners: the same model bytes, and a summary on stdout. */
  @Test
  public void directAndFlinkTrainTheSameModel() throws Exception {
    Path models = tmp.newFolder("models").toPath();
    String direct = train(models, "DirectRunner", "20261127T090000Z");
    String flink = train(models, "FlinkRunner", "20261127T090100Z");

    assertThat(direct, containsString("taxi-tips model 20261127T090000Z trained on DirectRunner"));
    assertThat(direct, containsString("rows read                12002"));
    assertThat(direct, containsString("FARE_NOT_POSITIVE      25"));
    assertThat(direct, containsString("eval ROC AUC             0.95"));
    assertThat(flink, containsString("trained on FlinkRunner"));
    try (ModelStore store = ModelStore.open(models.toString(), null)) {
      assertEquals(
          List.of("20261127T090000Z", "20261127T090100Z"), store.completeVersions("taxi-tips"));
      Map<String, byte[]> a = store.read("taxi-tips", "20261127T090000Z");
      Map<String, byte[]> b = store.read("taxi-tips", "20261127T090100Z");
      assertArrayEquals(a.get("model.json"), b.get("model.json"));
      assertArrayEquals(a.get("feature_spec.json"), b.get("feature_spec.json"));
      assertArrayEquals(a.get("metrics.json"), b.get("metrics.json"));
    }
  }
}
