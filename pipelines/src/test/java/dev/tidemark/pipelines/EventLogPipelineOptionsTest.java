package dev.tidemark.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** The event-log pipelines' options parse, with local defaults and no required flags. */
public class EventLogPipelineOptionsTest {

  /** The Kafka pipeline replays topic {@code trips} into the version-1 output topic by default. */
  @Test
  public void kafkaPipelineDefaultsToReplayingTripsIntoVersionOne() {
    KafkaTripsPerAreaHour.Options o =
        PipelineOptionsFactory.fromArgs().withValidation().as(KafkaTripsPerAreaHour.Options.class);
    assertThat(o.getTripsTopic(), equalTo("trips"));
    assertThat(o.getDeadLetterTopic(), equalTo("trips-dead-letters"));
    assertThat(o.getOutputTopic(), equalTo("trips-per-area-hour-v1"));
    assertThat(o.getFollow(), equalTo(false));
    assertThat(o.getMaxDelaySeconds(), equalTo(120L));
    String env = System.getenv("TIDEMARK_KAFKA_BOOTSTRAP");
    assertThat(o.getBootstrapServers(), equalTo(env == null ? "127.0.0.1:9092" : env.strip()));
  }

  /** The lake pipelines default to the lake bucket of the local stack. */
  @Test
  public void lakePipelinesDefaultToTheLakeBucket() {
    assertThat(
        PipelineOptionsFactory.as(ArchiveTripEvents.Options.class).getArchive(),
        equalTo("s3://lake/trips"));
    assertThat(
        PipelineOptionsFactory.as(BatchTripsPerAreaHour.Options.class).getInput(),
        equalTo("s3://lake/trips/event_date=*/*.jsonl"));
  }
}
