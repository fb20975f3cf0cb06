package dev.tidemark.cli;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code tidemark retention}: stdout holds the sorted actions and nothing else; errors are clear.
 */
public class RetentionCommandTest {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Lines in arrival order, two customers dropping at the same instant, one malformed line. */
  private static final List<String> LOG =
      List.of(
          "{\"customer\": \"c9\", \"type\": \"cart_dropped\", \"time\": \"2026-01-01T12:07:00Z\"}",
          "{\"customer\": \"c42\", \"type\": \"cart_dropped\", \"time\": \"2026-01-01T12:07:00Z\","
              + " \"cart_value\": 37.5}",
          "{\"customer\": \"c9\", \"type\": \"login\", \"time\": \"2026-01-01T11:00:00Z\"}",
          "{\"customer\": \"c42\", \"type\": \"login\", \"time\": \"2026-01-01T12:00:00Z\"}",
          "{\"customer\": \"c42\", \"type\": \"cart_dropped\", \"time\": \"2026-01-01T12:01:00Z\","
              + " \"cart_value\": 10}",
          "{\"customer\": \"c42\", \"type\": \"checkout\", \"time\": \"2026-01-01T12:32:00Z\"}",
          "{oops");

  /**
   * With a 31-minute window the checkout at 12:32 cancels both of c42's drops (12:01 + 31m is
   * inclusive); only c9's action is printed.
   */
  @Test
  public void printsSortedActionsOnlyOnStdout() throws IOException {
    Path input = tmp.getRoot().toPath().resolve("events.jsonl");
    Files.write(input, LOG, StandardCharsets.UTF_8);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = TidemarkCli.execute("retention", "--input", input.toString(), "--within", "31m");
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    assertEquals(
        "{\"customer\": \"c9\", \"dropped_at\": \"2026-01-01T12:07:00Z\", \"cart_value\": null}\n",
        stdout.toString(StandardCharsets.UTF_8));
  }

  /**
   * With 30 minutes, c42's checkout at 12:32 is too late for the 12:01 drop: actions sorted by
   * time.
   */
  @Test
  public void defaultWindowIsThirtyMinutes() throws IOException {
    Path input = tmp.getRoot().toPath().resolve("events.jsonl");
    Files.write(input, LOG, StandardCharsets.UTF_8);
    RetentionCommand.Outcome outcome =
        RetentionCommand.detect(
            input, "30m", "DirectRunner", "[local]", tmp.getRoot().toPath().resolve("work"));
    assertEquals(
        List.of(
            "{\"customer\": \"c42\", \"dropped_at\": \"2026-01-01T12:01:00Z\", \"cart_value\": 10.0}",
            "{\"customer\": \"c9\", \"dropped_at\": \"2026-01-01T12:07:00Z\", \"cart_value\": null}"),
        outcome.actions());
    assertEquals(1, outcome.deadLetters().size());
  }

  /** A missing file, a bad window and an unsupported runner are one-line errors. */
  @Test
  public void userErrorsExitWithCodes() {
    assertEquals(1, TidemarkCli.execute("retention", "--input", "/no/such/file.jsonl"));
    assertEquals(
        TidemarkCli.USAGE_ERROR,
        TidemarkCli.execute("retention", "--input", "x.jsonl", "--within", "soon"));
    assertEquals(
        TidemarkCli.USAGE_ERROR,
        TidemarkCli.execute("retention", "--input", "x.jsonl", "--runner", "SamzaRunner"));
    assertEquals(TidemarkCli.USAGE_ERROR, TidemarkCli.execute("retention"));
  }
}
