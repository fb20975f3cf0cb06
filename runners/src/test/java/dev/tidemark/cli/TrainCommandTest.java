package dev.tidemark.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.tidemark.testing.SampleData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code tidemark train}: the failures a user can fix, each one sentence with its fix. */
public class TrainCommandTest {
  /** A loopback port nothing listens on. */
  private static final String CLOSED_ENDPOINT = "http://127.0.0.1:1";

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

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The default s3://models with no object store running: one sentence, and both fixes. */
  @Test
  public void defaultStoreNotReachableSaysStartTheStackOrUseADirectory() {
    int code =
        TidemarkCli.execute(
            "train",
            "--input",
            SampleData.taxiTrips().toString(),
            "--s3-endpoint",
            CLOSED_ENDPOINT);
    assertEquals(1, code);
    assertEquals(
        "tidemark: the object store at http://127.0.0.1:1 is not reachable, so the model cannot be"
            + " published to s3://models\n"
            + "  fix: start the local stack (bin/tidemark stack up), or pass --output target/models"
            + " to publish to a local directory\n",
        stderr());
  }

  /** A missing input file is named, with the shipped sample as the fix. */
  @Test
  public void missingInputIsNamed() {
    int code = TidemarkCli.execute("train", "--input", "no/such/trips.csv", "--output", "target/x");
    assertEquals(1, code);
    assertThat(stderr(), containsString("tidemark: the input no/such/trips.csv is not a file"));
    assertThat(stderr(), containsString("fix: pass --input with the taxi CSV"));
  }

  /** A runner the pipeline is not tested on is a usage error. */
  @Test
  public void untestedRunnerIsAUsageError() {
    int code = TidemarkCli.execute("train", "--runner", "SamzaRunner");
    assertEquals(TidemarkCli.USAGE_ERROR, code);
    assertThat(stderr(), containsString("unknown runner 'SamzaRunner' for training"));
  }

  /** --help lists the options. */
  @Test
  public void helpListsTheOptions() {
    assertEquals(0, TidemarkCli.execute("train", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String option :
        new String[] {"--input", "--output", "--runner", "--seed", "--model-version"}) {
      assertThat(help, containsString(option));
    }
  }
}
