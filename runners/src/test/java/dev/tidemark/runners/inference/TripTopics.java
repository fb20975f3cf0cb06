package dev.tidemark.runners.inference;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.runners.stack.LocalStackResource;
import dev.tidemark.testing.SampleData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Trip events on a test topic, for the streaming inference integration tests: the sample trips to
 * send, their records (and malformed ones), waiting for the pipeline's outputs, and the offline
 * score of each trip to compare the stream against.
 */
final class TripTopics {

  private TripTopics() {}

  /** The first {@code n} trips of the sample with distinct ids and a trip start, by start time. */
  static List<TaxiTrip> distinctTripsInEventTimeOrder(int n) throws Exception {
    List<TaxiTrip> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(SampleData.taxiTrips(), UTF_8)) {
      if (out.size() == n) {
        break;
      }
      if (TaxiTripCsv.isHeader(line)) {
        continue;
      }
      try {
        TaxiTrip t = TaxiTripCsv.parse(line);
        TaxiTripJson.parse(TaxiTripJson.toJson(t)); // a valid trip event
        if (ids.add(TripSplit.tripId(t))) {
          out.add(t);
        }
      } catch (MalformedTripException e) {
        // Not a valid trip event: not part of the fixture.
      }
    }
    out.sort(Comparator.comparing(TaxiTrip::tripStart));
    return out;
  }

  /** One trip event per trip, on partition (trip id hash mod 2), timestamped with its start. */
  static List<ProducerRecord<byte[], byte[]>> records(String topic, List<TaxiTrip> trips) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (TaxiTrip t : trips) {
      int partition = Math.floorMod(TripSplit.tripId(t).hashCode(), 2);
      out.add(
          new ProducerRecord<>(
              topic, partition, t.tripStart().toEpochMilli(), null, TaxiTripJson.toJson(t)));
    }
    return out;
  }

  /** A record that is not a trip event. */
  static ProducerRecord<byte[], byte[]> malformed(String topic, int partition, String value) {
    return new ProducerRecord<>(topic, partition, null, value.getBytes(UTF_8));
  }

  /** The trip ids of {@code trips}. */
  static Set<String> ids(List<TaxiTrip> trips) {
    Set<String> out = new HashSet<>();
    trips.forEach(t -> out.add(TripSplit.tripId(t)));
    return out;
  }

  /**
   * Waits until {@code <topic>-predictions} + {@code <topic>-dead-letters} hold {@code count}
   * records.
   */
  static void awaitOutputs(LocalStackResource stack, String topic, int count, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int seen = 0;
    while (System.nanoTime() < deadline) {
      seen =
          stack.readAll(topic + "-predictions").size()
              + stack.readAll(topic + "-dead-letters").size();
      if (seen >= count) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("only " + seen + " of " + count + " records in " + seconds + " s");
  }

  /** Each trip scored alone, offline, by {@code version}'s files in {@code store}: by trip id. */
  static Map<String, Float> offlineScores(ModelStore store, String version, List<TaxiTrip> trips)
      throws Exception {
    Map<String, byte[]> files = store.read(ModelFiles.TAXI_TIPS, version);
    TaxiFeatures features =
        new TaxiFeatures(
            FeatureSpec.fromJson(new String(files.get(ModelFiles.FEATURE_SPEC), UTF_8)));
    Map<String, Float> out = new HashMap<>();
    for (TaxiTrip t : trips) {
      out.put(
          TripSplit.tripId(t),
          TipModelTrainer.predict(
              files.get(ModelFiles.MODEL_JSON), features.vector(t), features.length())[0]);
    }
    return out;
  }
}
