package dev.tidemark.runners.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.model.ModelFiles;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.runners.stack.ModelServerProcess;
import dev.tidemark.transforms.inference.InProcessScorer;
import dev.tidemark.transforms.inference.ScoreOutcome;
import dev.tidemark.transforms.inference.ScoreTrips;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.TripScorer;
import dev.tidemark.transforms.inference.remote.RemoteScorer;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Remote inference against the real Tidemark model server (its own JVM, real HTTP on loopback)
 * serving a model trained by the real trainer on the shipped sample: the same trips scored in
 * process and through the server's V2 {@code infer} get the same probabilities, bit for bit, from
 * the same model version; in a pipeline every trip becomes exactly one prediction or one scoring
 * failure, also when the server is down or stops midway.
 */
public class RemoteInferenceIT {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String MODEL = ModelFiles.TAXI_TIPS;
  private static final String V1 = "20261127T090000Z";

  private static String store;
  private static ModelServerProcess server;
  private static List<TaxiTrip> trips;

  /** Trains taxi-tips on 3,000 sample trips, publishes it as V1 and starts a server on it. */
  @BeforeClass
  public static void trainPublishAndServe() throws Exception {
    List<TaxiTrip> sample = TipModelFixtures.sampleTrips(3_500);
    trips = sample.subList(3_000, 3_500);
    store = TMP.newFolder("models").getAbsolutePath();
    TipModelFixtures.trainAndPublish(store, V1, sample.subList(0, 3_000));
    server = ModelServerProcess.start(store, TMP.getRoot().toPath().resolve("server.log"));
  }

  @AfterClass
  public static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * 500 trips (with missing fields among them) scored in process by V1 and by the server, once
   * through the default version and once through the version's own URL: equal floats, equal feature
   * vectors, the same model and version.
   */
  @Test
  public void inProcessAndRemoteGiveTheSameProbabilities() throws Exception {
    List<ScoreOutcome> local;
    try (TripScorer s = InProcessScorer.pinned(store, MODEL, V1).open()) {
      local = s.score(trips);
    }
    for (String url : List.of(server.inferUrl(MODEL, null), server.inferUrl(MODEL, V1))) {
      List<ScoreOutcome> remote;
      try (TripScorer s =
          RemoteScorer.at(url).withFeaturesFrom(store).withMaxRowsPerRequest(128).open()) {
        long start = System.nanoTime();
        remote = s.score(trips);
        System.err.printf(
            "RemoteInferenceIT: 500 trips in 4 requests of <= 128 rows to %s: %d ms%n",
            url, (System.nanoTime() - start) / 1_000_000);
      }
      assertEquals(500, remote.size());
      for (int i = 0; i < trips.size(); i++) {
        ScoreOutcome.Scored l = (ScoreOutcome.Scored) local.get(i);
        assertTrue(
            url + " trip " + i + ": " + remote.get(i),
            remote.get(i) instanceof ScoreOutcome.Scored);
        ScoreOutcome.Scored r = (ScoreOutcome.Scored) remote.get(i);
        assertEquals("trip " + i, l.probability(), r.probability(), 0.0);
        assertEquals(MODEL, r.model());
        assertEquals(V1, r.version());
        assertArrayEquals("trip " + i, l.features(), r.features(), 0f);
      }
    }
  }

  /**
   * The pipeline with remote scoring on the DirectRunner: 500 trips in, 500 predictions out with
   * the in-process probabilities, no failure.
   */
  @Test
  public void aPipelineScoresEveryTripThroughTheServer() throws Exception {
    Map<String, Double> expected = new LinkedHashMap<>();
    try (TripScorer s = InProcessScorer.pinned(store, MODEL, V1).open()) {
      List<ScoreOutcome> local = s.score(trips);
      for (int i = 0; i < trips.size(); i++) {
        expected.put(
            TripSplit.tripId(trips.get(i)), ((ScoreOutcome.Scored) local.get(i)).probability());
      }
    }
    List<String> lines = new ArrayList<>();
    expected.forEach((id, p) -> lines.add(id + " " + MODEL + "/" + V1 + " " + p));

    PCollectionTuple out =
        pipeline
            .apply("Trips", Create.of(trips).withCoder(TaxiTripCoder.of()))
            .apply(
                "ScoreTripsRemotely",
                ScoreTrips.with(RemoteScorer.at(server.inferUrl(MODEL, null)))
                    .withMaxBatchSize(64));
    PAssert.that(
            out.get(ScoreTrips.PREDICTIONS).apply("Describe", MapElements.via(new DescribeFn())))
        .containsInAnyOrder(lines);
    PAssert.that(out.get(ScoreTrips.FAILED)).empty();
    pipeline.run().waitUntilFinish();
  }

  /**
   * Nothing listens at the URL: 500 trips in, 0 predictions and 500 scoring failures out, each
   * saying why (refused connections until the breaker opens, then the open breaker).
   */
  @Test
  public void aDeadServerTurnsEveryTripIntoOneScoringFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/v2/models/taxi-tips/infer";
    PCollectionTuple out =
        pipeline
            .apply("Trips", Create.of(trips).withCoder(TaxiTripCoder.of()))
            .apply(
                "ScoreTripsRemotely",
                ScoreTrips.with(
                        RemoteScorer.at(url)
                            .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20))
                            .withCircuitBreaker(4, Duration.ofMinutes(1)))
                    .withMaxBatchSize(50));
    PCollection<Reject> failed = out.get(ScoreTrips.FAILED);
    PAssert.that(out.get(ScoreTrips.PREDICTIONS)).empty();
    PAssert.thatSingleton(failed.apply("CountFailures", Count.globally())).isEqualTo(500L);
    PAssert.that(failed.apply("Reasons", MapElements.via(new ReasonFn())))
        .satisfies(
            reasons -> {
              for (String r : reasons) {
                assertThat(
                    r,
                    anyOf(
                        equalTo(
                            "the remote call to "
                                + url
                                + " failed after 2 attempts: cannot connect (connection refused)"),
                        equalTo(
                            "the remote call to "
                                + url
                                + " failed after 2 attempts: cannot connect (connection refused)"
                                + " (the circuit breaker opened)"),
                        startsWith("circuit breaker open for " + url + " until ")));
              }
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /**
   * A server stopped between two batches: the first batch is scored, every trip of the later
   * batches fails with a reason, none is lost — scored + failed = trips sent.
   */
  @Test
  public void aServerStoppedMidwayLosesNoTrip() throws Exception {
    ModelServerProcess own =
        ModelServerProcess.start(store, TMP.getRoot().toPath().resolve("own-server.log"));
    int scored = 0;
    int failed = 0;
    Set<String> reasons = new HashSet<>();
    try (TripScorer s =
        RemoteScorer.at(own.inferUrl(MODEL, null))
            .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20))
            .withCircuitBreaker(3, Duration.ofMinutes(1))
            .open()) {
      for (int batch = 0; batch < 5; batch++) {
        if (batch == 1) {
          own.close();
        }
        for (ScoreOutcome o : s.score(trips.subList(batch * 100, (batch + 1) * 100))) {
          if (o instanceof ScoreOutcome.Scored) {
            scored++;
          } else {
            failed++;
            reasons.add(((ScoreOutcome.Failed) o).reason().replaceAll(" until .*", " until …"));
          }
        }
      }
    } finally {
      own.close();
    }
    assertEquals(100, scored);
    assertEquals(400, failed);
    String url = own.inferUrl(MODEL, null);
    assertEquals(
        Set.of(
            "the remote call to "
                + url
                + " failed after 2 attempts: cannot connect (connection refused)",
            "the remote call to "
                + url
                + " failed after 1 attempt: cannot connect (connection refused) (the circuit breaker"
                + " opened)",
            "circuit breaker open for " + url + " until …"),
        reasons);
  }

  /** {@code <trip id> <model>/<version> <probability>}. */
  static final class DescribeFn extends SimpleFunction<TripPrediction, String> {
    @Override
    public String apply(TripPrediction p) {
      return p.tripId() + " " + p.model() + "/" + p.version() + " " + p.probability();
    }
  }

  /** The reason of a scoring failure. */
  static final class ReasonFn extends SimpleFunction<Reject, String> {
    @Override
    public String apply(Reject f) {
      return f.reason();
    }
  }
}
