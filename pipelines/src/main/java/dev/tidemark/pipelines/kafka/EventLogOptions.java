package dev.tidemark.pipelines.kafka;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the event log is, shared by the pipelines that read or write it (mixed into their options).
 * Defaults come from the environment ({@code TIDEMARK_KAFKA_BOOTSTRAP}), else the local stack
 * ({@code 127.0.0.1:9092}); nothing is hard-coded in the pipelines.
 */
public interface EventLogOptions extends PipelineOptions {

  /** The local stack's broker, used when neither the option nor the environment says otherwise. */
  String LOCAL_BOOTSTRAP = "127.0.0.1:9092";

  @Description(
      "Kafka bootstrap servers (host:port,...). Default: $TIDEMARK_KAFKA_BOOTSTRAP, else "
          + LOCAL_BOOTSTRAP
          + " (bin/tidemark stack up).")
  @Default.InstanceFactory(BootstrapFromEnvironment.class)
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic of the trip events (JSON, one trip per record).")
  @Default.String("trips")
  String getTripsTopic();

  void setTripsTopic(String value);

  @Description(
      "Dead-letter topic: rejected records, original bytes, with the reason and source position"
          + " in headers.")
  @Default.String("trips-dead-letters")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  /** {@code TIDEMARK_KAFKA_BOOTSTRAP}, else {@link #LOCAL_BOOTSTRAP}. */
  final class BootstrapFromEnvironment implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      String env = System.getenv("TIDEMARK_KAFKA_BOOTSTRAP");
      return env == null || env.isBlank() ? LOCAL_BOOTSTRAP : env.strip();
    }
  }
}
