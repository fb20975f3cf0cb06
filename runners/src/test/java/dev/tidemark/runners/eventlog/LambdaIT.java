package dev.tidemark.runners.eventlog;

import static dev.tidemark.runners.eventlog.TripEvents.record;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.pipelines.ArchiveTripEvents;
import dev.tidemark.pipelines.BatchTripsPerAreaHour;
import dev.tidemark.pipelines.KafkaTripsPerAreaHour;
import dev.tidemark.runners.kappa.OutputView;
import dev.tidemark.runners.lambda.ServingView;
import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.runners.stack.LocalStackResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lambda on the real stack: trips of three days are archived from Kafka to the object store by
 * event date; the batch layer recomputes the closed days from the archive; the speed layer computes
 * all days from Kafka; the serving view (batch before 2013-03-09, speed after) equals a full batch
 * recomputation over the archive.
 */
public class LambdaIT {

  @ClassRule public static final LocalStackResource STACK = new LocalStackResource();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String TOPIC = "trips-lambda";

  /** The trip JSON of {@code area} on 2013-03-{@code day} at {@code hhmm} with {@code fare}. */
  private static String trip(int area, int day, String hhmm, String fare) {
    long start = Instant.parse("2013-03-0" + day + "T" + hhmm + ":00Z").getEpochSecond();
    return "{\"pickup_community_area\":"
        + area
        + ",\"fare\":"
        + fare
        + ",\"trip_start_timestamp\":"
        + start
        + "}";
  }

  /** The serving view equals the full batch recomputation, key by key. */
  @Test
  public void servingViewEqualsFullBatchRecomputation() throws Exception {
    STACK.createTopic(TOPIC, 2);
    STACK.send(
        List.of(
            record(TOPIC, 0, trip(8, 7, "19:05", "12.5")),
            record(TOPIC, 1, trip(32, 7, "19:40", "30")),
            record(TOPIC, 0, trip(8, 7, "23:50", "7.25")),
            record(TOPIC, 1, trip(8, 8, "09:15", "8")),
            record(TOPIC, 0, trip(32, 8, "12:00", "6")),
            record(TOPIC, 1, "{\"fare\":3.0}"),
            record(TOPIC, 0, trip(8, 9, "10:30", "9.5")),
            record(TOPIC, 1, trip(77, 9, "11:45", "21"))));

    run(ArchiveTripEvents.Options.class, "--tripsTopic=" + TOPIC, "--archive=s3://lake/" + TOPIC);
    TreeSet<String> partitions = new TreeSet<>();
    try (S3Client s3 = STACK.stack().s3Client()) {
      for (S3Object o :
          s3.listObjectsV2(b -> b.bucket(LocalStack.LAKE_BUCKET).prefix(TOPIC + "/")).contents()) {
        partitions.add(o.key().split("/")[1]);
      }
    }
    assertThat(
        partitions,
        equalTo(
            new TreeSet<>(
                List.of(
                    "event_date=2013-03-07", "event_date=2013-03-08", "event_date=2013-03-09"))));

    Path full = tmp.newFolder("full").toPath();
    Path closed = tmp.newFolder("closed").toPath();
    String archive = "--input=s3://lake/" + TOPIC + "/event_date=*/*.jsonl";
    run(BatchTripsPerAreaHour.Options.class, archive, "--output=" + full.resolve("totals"));
    run(
        BatchTripsPerAreaHour.Options.class,
        archive,
        "--until=2013-03-09T00:00:00Z",
        "--output=" + closed.resolve("totals"));
    run(
        KafkaTripsPerAreaHour.Options.class,
        "--tripsTopic=" + TOPIC,
        "--outputTopic=" + TOPIC + "-speed");

    Map<String, String> fullBatch = OutputView.fromFiles(full);
    ServingView.Merged serving =
        ServingView.reconcile(
            OutputView.fromFiles(closed),
            OutputView.fromTopic(STACK.bootstrap(), TOPIC + "-speed"),
            Instant.parse("2013-03-09T00:00:00Z"));
    assertThat(serving.view(), equalTo(fullBatch));
    assertThat(serving.fromBatch(), equalTo(5L));
    assertThat(serving.fromSpeed(), equalTo(2L));
    assertThat(fullBatch.get("8|2013-03-07T19:00:00Z"), equalTo("8,2013-03-07T19:00:00Z,1,12.50"));
  }

  private static void run(Class<? extends PipelineOptions> type, String... args) {
    String[] common = {
      "--runner=DirectRunner",
      "--bootstrapServers=" + STACK.bootstrap(),
      "--endpoint=" + STACK.stack().settings().s3Endpoint(),
      "--awsRegion=" + STACK.stack().settings().region(),
      "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
          + STACK.stack().settings().accessKey()
          + "\",\"secretAccessKey\":\""
          + STACK.stack().settings().secretKey()
          + "\"}"
    };
    String[] all = new String[common.length + args.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(args, 0, all, common.length, args.length);
    PipelineOptions options = PipelineOptionsFactory.fromArgs(all).withoutStrictParsing().as(type);
    PipelineResult result;
    if (options instanceof ArchiveTripEvents.Options o) {
      result = ArchiveTripEvents.run(o);
    } else if (options instanceof BatchTripsPerAreaHour.Options o) {
      result = BatchTripsPerAreaHour.run(o);
    } else {
      result = KafkaTripsPerAreaHour.run(options.as(KafkaTripsPerAreaHour.Options.class));
    }
    assertThat(
        result.waitUntilFinish(Duration.standardSeconds(90)), equalTo(PipelineResult.State.DONE));
  }
}
