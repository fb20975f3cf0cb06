package dev.tidemark.pipelines.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * The offset range of each partition of a topic that a bounded replay reads: from the beginning (or
 * the first record at or after a time) to the end as it is when the replay is planned.
 *
 * @param ranges per partition, {@code [start, stop)} offsets; empty ranges are left out
 */
public record LogPositions(Map<TopicPartition, long[]> ranges) {

  /** Looks the ranges up on the broker. Record timestamps are event times (see the replay tool). */
  public static LogPositions lookUp(String bootstrapServers, String topic, Instant fromTime) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "topic '" + topic + "' does not exist on " + bootstrapServers);
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo i : infos) {
        tps.add(new TopicPartition(topic, i.partition()));
      }
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      Map<TopicPartition, Long> start = new HashMap<>(begin);
      if (fromTime != null) {
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, fromTime.getMillis()));
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
            consumer.offsetsForTimes(query).entrySet()) {
          start.put(e.getKey(), e.getValue() == null ? end.get(e.getKey()) : e.getValue().offset());
        }
      }
      Map<TopicPartition, long[]> ranges = new HashMap<>();
      for (TopicPartition tp : tps) {
        long from = start.get(tp);
        long to = end.get(tp);
        if (to > from) {
          ranges.put(tp, new long[] {from, to});
        }
      }
      return new LogPositions(ranges);
    }
  }

  /** Records in all ranges. */
  public long records() {
    return ranges.values().stream().mapToLong(r -> r[1] - r[0]).sum();
  }
}
