package dev.tidemark.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The retention pipeline end to end on a small file, with its options and durations. */
public class RetentionTest {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Lines in arrival order: Alice's drop arrives before her login; two lines are malformed. */
  private static final List<String> LOG =
      List.of(
          "{\"customer\": \"c42\", \"type\": \"cart_dropped\", \"time\": \"2026-01-01T12:07:00Z\","
              + " \"cart_value\": 37.5}",
          "{\"customer\": \"c42\", \"type\": \"login\", \"time\": \"2026-01-01T12:00:00Z\"}",
          "{\"customer\": \"c7\", \"type\": \"login\", \"time\": \"2026-01-01T12:00:00Z\"}",
          "{\"customer\": \"c7\", \"type\": \"cart_dropped\", \"time\": \"2026-01-01T12:10:00Z\"}",
          "{\"customer\": \"c7\", \"type\": \"checkout\", \"time\": \"2026-01-01T12:25:00Z\"}",
          "not json at all",
          "{\"customer\": \"c9\", \"type\": \"wave\", \"time\": \"2026-01-01T12:00:00Z\"}");

  /** The options interface builds with its defaults. */
  @Test
  public void optionsHaveDefaults() {
    Retention.Options options = PipelineOptionsFactory.as(Retention.Options.class);
    assertEquals("30m", options.getWithin());
  }

  /**
   * Durations in the short forms and ISO-8601; anything else is refused with the accepted forms.
   */
  @Test
  public void durationsParse() {
    assertEquals(Duration.standardMinutes(30), Retention.parseDuration("30m"));
    assertEquals(Duration.standardMinutes(90), Retention.parseDuration("1h30m"));
    assertEquals(Duration.standardSeconds(90), Retention.parseDuration("90s"));
    assertEquals(Duration.millis(500), Retention.parseDuration("500ms"));
    assertEquals(Duration.standardMinutes(30), Retention.parseDuration("PT30M"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Retention.parseDuration("30 minutes"));
    assertEquals(
        "not a duration: '30 minutes' (expected a whole number and a unit: ms, s, m, h, d)",
        e.getMessage());
  }

  /**
   * Alice's action only (Bob checks out within 30 minutes); malformed lines are dead-lettered with
   * their reason; lines in = events parsed + dead letters.
   */
  @Test
  public void fileRunYieldsActionsAndDeadLetters() throws IOException {
    Path input = tmp.getRoot().toPath().resolve("events.jsonl");
    Files.write(input, LOG, StandardCharsets.UTF_8);
    Path out = tmp.getRoot().toPath().resolve("out");
    Retention.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--input=" + input,
                "--output=" + out.resolve("actions"),
                "--deadLetterOutput=" + out.resolve("dead-letters"),
                "--lateOutput=" + out.resolve("late"))
            .withValidation()
            .as(Retention.Options.class);
    PipelineResult result = Retention.run(options);
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    assertThat(
        readShards(out, "actions"),
        containsInAnyOrder(
            "{\"customer\": \"c42\", \"dropped_at\": \"2026-01-01T12:07:00Z\","
                + " \"cart_value\": 37.5}"));
    assertThat(
        readShards(out, "dead-letters"),
        containsInAnyOrder(
            input + "\tnot valid JSON: Unrecognized token 'not'\tnot json at all",
            input
                + "\tunknown type 'wave' (expected login, add_to_cart, cart_dropped, checkout or"
                + " logout)\t{\"customer\": \"c9\", \"type\": \"wave\", \"time\":"
                + " \"2026-01-01T12:00:00Z\"}"));
    assertEquals(List.of(), readShards(out, "late"));
    long parsed = counter(result, "eventsParsed");
    long deadLettered = counter(result, "eventsDeadLettered");
    assertEquals(5, parsed);
    assertEquals("lines in = events + dead letters", LOG.size(), parsed + deadLettered);
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            dev.tidemark.transforms.retention.ParseCustomerEvents.class, name))
                    .build())
            .getCounters()) {
      sum += c.getCommitted();
    }
    return sum;
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
