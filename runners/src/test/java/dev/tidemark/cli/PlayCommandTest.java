package dev.tidemark.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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

/** {@code tidemark play} as a user sees it: stdout, stderr, exit code and the SVG file. */
public class PlayCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Path EXAMPLES = Path.of("..", "testing", "scenarios");

  /** What one command line printed and returned. */
  record Outcome(int exitCode, String out, String err) {}

  private static Outcome play(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 1];
      all[0] = "play";
      System.arraycopy(args, 0, all, 1, args.length);
      int code = TidemarkCli.execute(all);
      return new Outcome(
          code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** jsonl prints exactly the records on stdout; the SVG shows elements, panes and watermark. */
  @Test
  public void jsonlPrintsOnlyRecordsAndSvgIsWritten() throws IOException {
    Path scenario = EXAMPLES.resolve("allowed-lateness.yaml");
    Path svg = tmp.getRoot().toPath().resolve("late.svg");
    Outcome r = play("--format", "jsonl", "--svg", svg.toString(), scenario.toString());
    assertEquals(r.err(), 0, r.exitCode());
    assertEquals(
        String.join("\n", Files.readAllLines(EXAMPLES.resolve("allowed-lateness.jsonl"))) + "\n",
        r.out());
    String picture = Files.readString(svg);
    assertTrue(picture.startsWith("<svg"));
    assertTrue("a dropped label", picture.contains(">dropped 2</text>"));
    assertTrue("the watermark line", picture.contains("<polyline"));
  }

  /** The table groups records by key and window. */
  @Test
  public void tableGroupsByKeyAndWindow() {
    Outcome r = play(EXAMPLES.resolve("allowed-lateness.yaml").toString());
    assertEquals(r.err(), 0, r.exitCode());
    List<String> lines = r.out().lines().toList();
    assertEquals(
        List.of(
            "key    window                emitted   what               index  on-time         value",
            "TeamX  [12:00:00, 12:02:00)  12:02:30  ON_TIME pane           0        0  first  5",
            "                             12:03:00  LATE pane              1        1         3",
            "                             12:05:00  dropped @12:01:25                         2"),
        lines.subList(1, lines.size()));
  }

  /** A malformed scenario: exit code 2, one line on stderr naming file, line and fault. */
  @Test
  public void malformedScenarioExitsWithTwoAndOneLine() throws IOException {
    Path bad = tmp.newFile("bad.yaml").toPath();
    Files.writeString(
        bad,
        "start: \"12:00:00\"\n"
            + "stream:\n"
            + "  - watermark: \"12:05:00\"\n"
            + "  - watermark: \"12:03:00\"\n"
            + "pipeline: {window: {fixed: 2m}, combine: sum}\n");
    Outcome r = play(bad.toString());
    assertEquals(2, r.exitCode());
    assertEquals("", r.out());
    assertEquals(
        "tidemark: "
            + bad
            + ":4: stream[1].watermark: the watermark goes back from 12:05:00 to 12:03:00 (a"
            + " watermark never regresses)\n",
        r.err());
  }
}
