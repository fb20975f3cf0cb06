package dev.tidemark.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.tidemark.cli.TidemarkCli;
import dev.tidemark.pipelines.PipelineCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The command line: help on every subcommand, one-line errors with a fix and exit code 2. */
public class TidemarkCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  @Before
  public void capture() {
    stdout = System.out;
    stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @After
  public void restore() {
    System.setOut(stdout);
    System.setErr(stderr);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The top-level help lists the subcommands. */
  @Test
  public void helpListsEverySubcommand() {
    assertEquals(0, TidemarkCli.execute("--help"));
    assertThat(stdout(), containsString("run"));
    assertThat(stdout(), containsString("demo"));
  }

  /** Every subcommand has its own help. */
  @Test
  public void everySubcommandHasHelp() {
    for (String sub : new picocli.CommandLine(new TidemarkCli()).getSubcommands().keySet()) {
      if (!sub.equals("help")) {
        assertEquals(sub + " --help", 0, TidemarkCli.execute(sub, "--help"));
      }
    }
  }

  /** Without a name, run lists the registered pipelines. */
  @Test
  public void runListsRegisteredPipelines() {
    assertEquals(0, TidemarkCli.execute("run"));
    assertThat(stdout(), containsString("trips-per-area-hour"));
  }

  /** An unknown pipeline is a usage error: one line and the fix, exit code 2, no stack trace. */
  @Test
  public void unknownPipelineIsAOneLineUsageError() {
    assertEquals(2, TidemarkCli.execute("run", "no-such-pipeline"));
    assertThat(stderr(), containsString("tidemark: unknown pipeline 'no-such-pipeline'"));
    assertThat(stderr(), containsString("fix: choose one of: trips-per-area-hour"));
    assertEquals(2, stderr().strip().lines().count());
  }

  /** A misspelt pipeline option is a usage error naming the option. */
  @Test
  public void badPipelineOptionIsAOneLineUsageError() {
    assertEquals(2, TidemarkCli.execute("run", "trips-per-area-hour", "--runnr=FlinkRunner"));
    assertThat(stderr(), containsString("bad option for pipeline trips-per-area-hour"));
    assertThat(stderr(), containsString("Did you mean 'runner'?"));
    assertEquals(2, stderr().strip().lines().count());
  }

  /** An unknown subcommand is a usage error. */
  @Test
  public void unknownSubcommandIsAUsageError() {
    assertEquals(2, TidemarkCli.execute("bogus"));
    assertThat(stderr(), containsString("fix: see 'bin/tidemark --help'"));
  }

  /** Every registered pipeline's options interface is valid (Beam's own checks). */
  @Test
  public void everyPipelineOptionsInterfaceIsValid() {
    for (PipelineCatalog.Entry e : PipelineCatalog.entries()) {
      PipelineOptionsFactory.as(e.optionsType());
    }
  }
}
