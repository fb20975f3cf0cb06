package dev.tidemark.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.Test;

/**
 * {@code tidemark replay}'s duration flags: the one duration grammar, a bare number in seconds as
 * always, and a usage error naming the flag otherwise. (Publishing itself needs a broker: {@code
 * *IT}.)
 */
public class ReplayCommandTest {

  /** The forms of the help text and of the README read as written; a bare number is seconds. */
  @Test
  public void durationFlagsReadTheDocumentedForms() {
    assertEquals(Duration.ofMinutes(2), ReplayCommand.duration("--disorder", "2m"));
    assertEquals(Duration.ofSeconds(30), ReplayCommand.duration("--disorder", "30s"));
    assertEquals(Duration.ofHours(6), ReplayCommand.duration("--late-by", "6h"));
    assertEquals(Duration.ofMillis(50), ReplayCommand.duration("--max-pause", "50ms"));
    assertEquals(Duration.ofDays(1), ReplayCommand.duration("--late-by", "1d"));
    assertEquals(Duration.ofSeconds(120), ReplayCommand.duration("--disorder", "120"));
    assertEquals(Duration.ZERO, ReplayCommand.duration("--disorder", "0"));
    assertEquals(Duration.ofMinutes(90), ReplayCommand.duration("--late-by", "1h30m"));
  }

  /** Anything else is a usage error that names the flag and the text given. */
  @Test
  public void malformedDurationIsAUsageErrorNamingTheFlag() {
    UserFacingException e =
        assertThrows(
            UserFacingException.class, () -> ReplayCommand.duration("--late-by", "6 hours"));
    assertEquals(
        "--late-by must be a duration like 2m, 30s, 1h or 500ms, not '6 hours'", e.getMessage());
    assertEquals(TidemarkCli.USAGE_ERROR, e.exitCode());
  }

  /** On the command line the refusal comes before any file or broker is touched. */
  @Test
  public void malformedDisorderIsRefusedOnTheCommandLine() {
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = TidemarkCli.execute("replay", "--disorder", "2 minutes", "no-such-trips.csv");
    } finally {
      System.setErr(err);
    }
    assertEquals(TidemarkCli.USAGE_ERROR, code);
    String printed = e.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed,
        printed.contains(
            "--disorder must be a duration like 2m, 30s, 1h or 500ms, not '2 minutes'"));
  }
}
