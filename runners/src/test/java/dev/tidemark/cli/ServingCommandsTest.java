package dev.tidemark.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code serve}, {@code deploy} and {@code k8s inferenceservice}: outputs and user errors. */
public class ServingCommandsTest {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream savedErr;
  private PrintStream savedOut;

  @Before
  public void captureStreams() {
    savedErr = System.err;
    savedOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @After
  public void restoreStreams() {
    System.setErr(savedErr);
    System.setOut(savedOut);
  }

  /** The manifests file parses back into Secret, ServiceAccount and InferenceService. */
  @Test
  public void k8sInferenceServiceWritesAManifestThatParsesBack() throws Exception {
    Path file = tmp.getRoot().toPath().resolve("k8s/taxi-tips.yaml");
    int code =
        TidemarkCli.execute(
            "k8s",
            "inferenceservice",
            "--model",
            "s3://models/taxi-tips/20261127T090000Z",
            "--namespace",
            "lab",
            "--s3-endpoint",
            "http://minio.minio:9000",
            "-o",
            file.toString());
    assertEquals(err.toString(StandardCharsets.UTF_8), 0, code);
    List<JsonNode> docs;
    try (MappingIterator<JsonNode> it =
        new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile())) {
      docs = it.readAll();
    }
    assertEquals(
        List.of("Secret", "ServiceAccount", "InferenceService"),
        docs.stream().map(d -> d.get("kind").asText()).toList());
    assertEquals(
        "minio.minio:9000",
        docs.get(0).at("/metadata/annotations").get("serving.kserve.io/s3-endpoint").asText());
    JsonNode predictor = docs.get(2).at("/spec/predictor");
    assertEquals("taxi-tips-sa", predictor.get("serviceAccountName").asText());
    assertEquals(
        "s3://models/taxi-tips/20261127T090000Z", predictor.at("/model/storageUri").asText());
    assertEquals("v2", predictor.at("/model/protocolVersion").asText());
    assertEquals("xgboost", predictor.at("/model/modelFormat/name").asText());
  }

  /** KServe cannot read a local directory: a usage error with the fix. */
  @Test
  public void k8sRefusesALocalModel() {
    int code =
        TidemarkCli.execute(
            "k8s", "inferenceservice", "--model", "target/models/taxi-tips/20261127T090000Z");
    assertEquals(TidemarkCli.USAGE_ERROR, code);
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("KServe reads models from"));
  }

  /** A model URI without a version, or no server at the URL: one sentence and the fix. */
  @Test
  public void deployExplainsABadUriAndAMissingServer() {
    assertEquals(
        TidemarkCli.USAGE_ERROR, TidemarkCli.execute("deploy", "--model", "s3://models/taxi-tips"));
    assertThat(
        err.toString(StandardCharsets.UTF_8), containsString("does not name a model version"));
    err.reset();
    assertEquals(
        TidemarkCli.FAILURE,
        TidemarkCli.execute(
            "deploy",
            "--model",
            "s3://models/taxi-tips/20261127T090000Z",
            "--server",
            "http://127.0.0.1:1"));
    assertEquals(
        "tidemark: the model server at http://127.0.0.1:1 is not reachable"
            + " (java.net.ConnectException)\n"
            + "  fix: start the server on the version's repository (bin/tidemark serve"
            + " --repository s3://models) and pass its URL with --server\n",
        err.toString(StandardCharsets.UTF_8));
  }

  /** bin/tidemark train then bin/tidemark serve serves the model just trained: same place. */
  @Test
  public void trainDefaultOutputIsServeDefaultRepository() {
    picocli.CommandLine cli = new picocli.CommandLine(new TidemarkCli());
    String trainOutput =
        cli.getSubcommands().get("train").getCommandSpec().findOption("--output").defaultValue();
    String serveRepository =
        cli.getSubcommands()
            .get("serve")
            .getCommandSpec()
            .findOption("--repository")
            .defaultValue();
    assertEquals("s3://models", trainOutput);
    assertEquals(trainOutput, serveRepository);
  }

  /** serve on a repository that does not exist says so before starting anything. */
  @Test
  public void serveRefusesAMissingRepository() {
    assertEquals(1, TidemarkCli.execute("serve", "--repository", "no/such/models"));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("the model repository no/such/models is not a directory"));
    assertEquals(0, TidemarkCli.execute("serve", "--help"));
    assertEquals(0, TidemarkCli.execute("deploy", "--help"));
  }
}
