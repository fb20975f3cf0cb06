package dev.tidemark.pipelines.kafka;

import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes (key, value) string pairs — a trip id or window start and a JSON record — to one Kafka
 * topic as UTF-8: the output side of the pipelines that publish predictions, reviews, comparisons,
 * monitoring records and windowed totals.
 */
public final class WriteKeyedStrings extends PTransform<PCollection<KV<String, String>>, PDone> {

  private final String bootstrapServers;
  private final String topic;

  private WriteKeyedStrings(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /** Writes to {@code topic} on the brokers at {@code bootstrapServers}. */
  public static WriteKeyedStrings to(String bootstrapServers, String topic) {
    return new WriteKeyedStrings(bootstrapServers, topic);
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    return records.apply(
        "WriteToKafka",
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class));
  }
}
