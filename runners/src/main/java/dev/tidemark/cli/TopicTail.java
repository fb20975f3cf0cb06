package dev.tidemark.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows a few Kafka topics from their beginning without a consumer group (so it commits nothing
 * and leaves no state on the broker): what the demo uses to show a pipeline's outputs as they
 * arrive. Topics that do not exist yet are picked up once they do.
 */
final class TopicTail implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final List<TopicPartition> assigned = new ArrayList<>();

  TopicTail(String bootstrap, List<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(p);
    this.topics = List.copyOf(topics);
  }

  /** The values that arrived since the last call, by topic (waits at most {@code wait}). */
  Map<String, List<String>> poll(Duration wait) {
    assignNewPartitions();
    Map<String, List<String>> out = new HashMap<>();
    topics.forEach(t -> out.put(t, new ArrayList<>()));
    if (assigned.isEmpty()) {
      return out;
    }
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
      out.get(r.topic()).add(r.value() == null ? "" : new String(r.value(), UTF_8));
    }
    return out;
  }

  /** The number of records in {@code topic} (the sum of its partitions' end offsets). */
  long size(String topic) {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
    if (partitions == null || partitions.isEmpty()) {
      return 0;
    }
    List<TopicPartition> tps = new ArrayList<>();
    partitions.forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
    return consumer.endOffsets(tps, Duration.ofSeconds(10)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  private void assignNewPartitions() {
    List<TopicPartition> now = new ArrayList<>();
    Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(10));
    for (String t : topics) {
      List<PartitionInfo> partitions = all.get(t);
      if (partitions != null) {
        partitions.forEach(pi -> now.add(new TopicPartition(t, pi.partition())));
      }
    }
    if (!assigned.containsAll(now)) {
      List<TopicPartition> fresh = new ArrayList<>(now);
      fresh.removeAll(assigned);
      assigned.addAll(fresh);
      Map<TopicPartition, Long> positions = new HashMap<>();
      for (TopicPartition tp : assigned) {
        positions.put(tp, consumer.assignment().contains(tp) ? consumer.position(tp) : 0L);
      }
      consumer.assign(assigned);
      positions.forEach(consumer::seek);
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
