package dev.tidemark.pipelines.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;

/**
 * The data-based watermarks of the partitions read by one reader (one {@link
 * BoundedDisorderTimestampPolicyFactory}), shared by their timestamp policies within a JVM, so that
 * an idle partition can follow the event time that the log as a whole has reached.
 *
 * <p>Why shared state: KafkaIO creates one policy per partition and gives it no view of the others,
 * so a partition that receives nothing cannot know the log's event time. Sharing is scoped to one
 * factory (a random group id) and one JVM; a worker that reads only idle partitions sees no
 * frontier, and then its partitions hold their watermark (they never jump to wall-clock time).
 */
final class PartitionFrontier {

  private static final Map<String, PartitionFrontier> GROUPS = new ConcurrentHashMap<>();

  private final Map<TopicPartition, Instant> watermarks = new ConcurrentHashMap<>();

  private PartitionFrontier() {}

  /** The frontier of the reader identified by {@code groupId}. */
  static PartitionFrontier of(String groupId) {
    return GROUPS.computeIfAbsent(groupId, g -> new PartitionFrontier());
  }

  /** A private frontier, for tests of a single policy or a set of policies. */
  static PartitionFrontier isolated() {
    return new PartitionFrontier();
  }

  /** Records the data-based watermark of {@code partition} (max event time minus the delay). */
  void report(TopicPartition partition, Instant dataWatermark) {
    watermarks.merge(partition, dataWatermark, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** The highest data-based watermark among the partitions other than {@code self}. */
  Optional<Instant> highestExcept(TopicPartition self) {
    return watermarks.entrySet().stream()
        .filter(e -> !e.getKey().equals(self))
        .map(Map.Entry::getValue)
        .max(Instant::compareTo);
  }
}
