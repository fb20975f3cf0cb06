package dev.tidemark.runners.eventlog;

import static dev.tidemark.runners.eventlog.TripEvents.record;
import static dev.tidemark.runners.eventlog.TripEvents.trip;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.cli.TidemarkCli;
import dev.tidemark.pipelines.KafkaTripsPerAreaHour;
import dev.tidemark.runners.kappa.Canary;
import dev.tidemark.runners.kappa.OutputView;
import dev.tidemark.runners.stack.LocalStackResource;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Kappa on a real broker: versions 1 and 2 of the per-area totals replay the same retained log into
 * their own output topics, and the canary reports where they differ — only the hour whose single
 * trip had a zero fare, which version 2 drops.
 */
public class KappaCanaryIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();

  private static final String TOPIC = "trips-kappa";

  /** Version 2 over the retained log differs from version 1 exactly where zero fares were. */
  @Test
  public void canaryReportsTheHourThatVersionTwoDrops() throws Exception {
    STACK.createTopic(TOPIC, 2);
    STACK.send(
        List.of(
            record(TOPIC, 0, trip(8, "19:05", "12.5")),
            record(TOPIC, 0, trip(8, "19:20", "7.25")),
            record(TOPIC, 0, trip(8, "20:10", "0")),
            record(TOPIC, 1, trip(32, "19:40", "30")),
            record(TOPIC, 1, trip(32, "19:45", "10")),
            record(TOPIC, 1, trip(8, "19:55", "4.75"))));

    replay(1, TOPIC + "-totals-v1");
    replay(2, TOPIC + "-totals-v2");

    Canary.Report r =
        Canary.compare(
            OutputView.fromTopic(STACK.bootstrap(), TOPIC + "-totals-v1"),
            OutputView.fromTopic(STACK.bootstrap(), TOPIC + "-totals-v2"));
    assertThat(r.matches(), equalTo(2L));
    assertThat(r.different(), empty());
    assertThat(
        r.onlyInBaseline(),
        contains(
            new Canary.Difference(
                "8|2013-03-07T20:00:00Z", "8,2013-03-07T20:00:00Z,1,0.00", null)));
    assertThat(r.onlyInCandidate(), empty());

    assertThat(
        TidemarkCli.execute(
            "canary",
            "--bootstrap-servers=" + STACK.bootstrap(),
            TOPIC + "-totals-v1",
            TOPIC + "-totals-v2"),
        equalTo(4));
    assertThat(
        TidemarkCli.execute(
            "canary",
            "--bootstrap-servers=" + STACK.bootstrap(),
            TOPIC + "-totals-v1",
            TOPIC + "-totals-v1"),
        equalTo(0));
  }

  private static void replay(int logicVersion, String outputTopic) {
    KafkaTripsPerAreaHour.Options options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--bootstrapServers=" + STACK.bootstrap(),
                "--tripsTopic=" + TOPIC,
                "--logicVersion=" + logicVersion,
                "--outputTopic=" + outputTopic)
            .as(KafkaTripsPerAreaHour.Options.class);
    PipelineResult result = KafkaTripsPerAreaHour.run(options);
    assertThat(
        result.waitUntilFinish(Duration.standardSeconds(60)), equalTo(PipelineResult.State.DONE));
  }
}
