package dev.tidemark.runners.kappa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A pipeline version's output as a keyed view ({@code <area>|<hour start>} → CSV line): from a
 * Kafka topic (read to its current end; the latest record of a key wins, as later panes refine
 * earlier ones) or from CSV files of {@code AreaHourTotal}s (a file, or every {@code *.csv} in a
 * directory; header lines skipped).
 */
public final class OutputView {

  private OutputView() {}

  /** Reads {@code topic} from the beginning to its end as it is now. */
  public static Map<String, String> fromTopic(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    Map<String, String> view = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic '" + topic + "' does not exist");
      }
      List<TopicPartition> tps = new ArrayList<>();
      infos.forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(tps));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read topic " + topic + " to its end");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            view.put(r.key(), r.value());
          }
        }
      }
    }
    return view;
  }

  /** Reads CSV lines {@code area,hour_start,...} from a file or a directory's {@code *.csv}. */
  public static Map<String, String> fromFiles(Path fileOrDir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDir)) {
      try (Stream<Path> s = Files.walk(fileOrDir)) {
        s.filter(f -> f.toString().endsWith(".csv")).sorted().forEach(files::add);
      }
    } else {
      files.add(fileOrDir);
    }
    Map<String, String> view = new TreeMap<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String[] cols = line.split(",", 3);
        if (cols.length < 3 || line.startsWith("pickup_area,")) {
          continue;
        }
        view.put(cols[0] + "|" + cols[1], line);
      }
    }
    return view;
  }
}
