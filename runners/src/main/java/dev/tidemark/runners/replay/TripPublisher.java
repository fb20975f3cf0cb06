package dev.tidemark.runners.replay;

import dev.tidemark.core.trip.TaxiTripJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a {@link ReplaySchedule} to a Kafka topic as JSON trip events, paced: the wall-clock
 * gap between two events is their gap on the event-time axis divided by {@code speedup} (0: as fast
 * as possible), at most {@code maxPause}. Record key: the pickup community area; record timestamp:
 * the trip start (event time), so that Kafka's time index finds event times. A fraction of events
 * can be replaced by malformed records, to exercise dead-letter handling.
 */
public final class TripPublisher {

  /**
   * What a replay did.
   *
   * @param events records sent (trips and malformed)
   * @param malformed malformed records among them
   * @param bytes value bytes sent
   * @param wallNanos time from first send to the last acknowledgement
   */
  public record Summary(long events, long malformed, long bytes, long wallNanos) {
    /** Records per second of wall-clock time. */
    public double eventsPerSecond() {
      return events / Math.max(1e-9, wallNanos / 1e9);
    }

    /** Megabytes (10^6 bytes) of values per second. */
    public double megabytesPerSecond() {
      return bytes / 1e6 / Math.max(1e-9, wallNanos / 1e9);
    }
  }

  /**
   * Progress, reported every few seconds.
   *
   * @param sent records sent so far
   * @param total records to send
   * @param eventTimeMillis the publication time (event-time axis) reached
   */
  public record Progress(long sent, long total, long eventTimeMillis) {}

  /** Malformed payloads, cycled through; each is rejected by {@link TaxiTripJson#parse}. */
  static final List<byte[]> MALFORMED =
      List.of(
          "{\"fare\":12.5,\"trip_start_timestamp\":".getBytes(StandardCharsets.UTF_8),
          "{\"trip_start_timestamp\":1380593700}".getBytes(StandardCharsets.UTF_8),
          "{\"fare\":-4.0,\"trip_start_timestamp\":1380593700}".getBytes(StandardCharsets.UTF_8),
          new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});

  private final String bootstrapServers;
  private final String topic;
  private final int partitions;

  public TripPublisher(String bootstrapServers, String topic, int partitions) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.partitions = partitions;
  }

  /** Creates the topic with the configured number of partitions unless it exists. */
  public void ensureTopic() throws InterruptedException, ExecutionException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(p)) {
      Set<String> topics = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      if (!topics.contains(topic)) {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ExecutionException("the broker at " + bootstrapServers + " does not answer", e);
    }
  }

  /** Sends the plan, paced, and waits until every record is acknowledged. */
  public Summary publish(
      List<ReplaySchedule.Planned> plan,
      double speedup,
      Duration maxPause,
      double malformedFraction,
      long seed,
      Consumer<Progress> progress,
      Duration progressEvery)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "tidemark-replay");
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acked = new AtomicLong();
    long malformed = 0;
    long bytes = 0;
    long maxPauseNanos = maxPause.toNanos();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      // Wait for the topic's metadata (a new topic elects its leaders) before the clock starts.
      producer.partitionsFor(topic);
      long start = System.nanoTime();
      long nextReport = start + progressEvery.toNanos();
      long target = start;
      for (int i = 0; i < plan.size(); i++) {
        ReplaySchedule.Planned e = plan.get(i);
        if (speedup > 0 && i > 0) {
          long gapMillis = e.publishAtMillis() - plan.get(i - 1).publishAtMillis();
          target += Math.min(maxPauseNanos, (long) (gapMillis * 1_000_000L / speedup));
          long wait;
          while ((wait = target - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
          }
        }
        byte[] value;
        if (malformedFraction > 0 && random.nextDouble() < malformedFraction) {
          value = MALFORMED.get((int) (malformed % MALFORMED.size()));
          malformed++;
        } else {
          value = TaxiTripJson.toJson(e.trip());
        }
        Integer area = e.trip().pickupCommunityArea();
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                e.trip().tripStartTimestamp() * 1000L,
                area == null ? "unknown" : area.toString(),
                value),
            (md, ex) -> {
              if (ex != null) {
                failure.compareAndSet(null, ex);
              } else {
                acked.incrementAndGet();
              }
            });
        bytes += value.length;
        if (failure.get() != null) {
          break;
        }
        long now = System.nanoTime();
        if (now >= nextReport) {
          progress.accept(new Progress(i + 1, plan.size(), e.publishAtMillis()));
          nextReport = now + progressEvery.toNanos();
        }
      }
      producer.flush();
      if (failure.get() != null) {
        throw new IllegalStateException(
            "Kafka refused a record: " + failure.get().getMessage(), failure.get());
      }
      return new Summary(acked.get(), malformed, bytes, System.nanoTime() - start);
    }
  }
}
