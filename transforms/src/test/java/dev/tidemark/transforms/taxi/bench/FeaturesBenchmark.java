package dev.tidemark.transforms.taxi.bench;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripRule;
import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import dev.tidemark.testing.SampleData;
import dev.tidemark.transforms.taxi.training.ExtractFeatures;
import dev.tidemark.transforms.taxi.training.PreprocessTrips;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;

/**
 * Throughput of preprocessing + features alone, in rows per second, printed to stdout. Bounded:
 * about 25 s in all. Not a test (surefire ignores it); run it as described in docs/training.md.
 *
 * <ol>
 *   <li>plain Java, one thread: {@code TaxiTripCsv.parse} + {@code TripRule.firstBroken} + {@code
 *       TaxiFeatures.vector} over the shipped sample, repeated (3 s warm-up, 10 s measured);
 *   <li>Beam on DirectRunner: {@code PreprocessTrips} + {@code ExtractFeatures} over the sample
 *       repeated 5 times (60,010 lines), wall time of the whole run including pipeline start-up.
 * </ol>
 */
public final class FeaturesBenchmark {
  private static final long WARMUP_NANOS = 3_000_000_000L;
  private static final long MEASURE_NANOS = 10_000_000_000L;
  private static final int BEAM_REPEATS = 5;

  private FeaturesBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(SampleData.taxiTrips());
    lines.remove(0);
    FeatureAnalyzer analyzer = new FeatureAnalyzer();
    for (String line : lines) {
      analyzer.add(TaxiTripCsv.parse(line));
    }
    FeatureSpec spec = analyzer.spec();
    TaxiFeatures features = new TaxiFeatures(spec);
    System.out.printf(
        "sample: %d lines, vector length %d, %d cores%n",
        lines.size(), features.length(), Runtime.getRuntime().availableProcessors());

    long sink = 0;
    long end = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < end) {
      sink += pass(lines, features);
    }
    long rows = 0;
    long start = System.nanoTime();
    end = start + MEASURE_NANOS;
    while (System.nanoTime() < end) {
      sink += pass(lines, features);
      rows += lines.size();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "plain Java, 1 thread: %,.0f rows/s (parse + rules + vector; %,d rows in %.1f s; %d)%n",
        rows / seconds, rows, seconds, sink % 10);

    List<String> repeated = new ArrayList<>();
    for (int i = 0; i < BEAM_REPEATS; i++) {
      repeated.addAll(lines);
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(beamArgs(args)).create());
    p.apply("Lines", Create.of(repeated))
        .apply("PreprocessTrips", PreprocessTrips.create())
        .get(PreprocessTrips.CLEAN_TRIPS)
        .apply("ExtractFeatures", ExtractFeatures.withSpec(spec))
        .apply("CountRows", Count.globally());
    long beamStart = System.nanoTime();
    p.run().waitUntilFinish();
    double beamSeconds = (System.nanoTime() - beamStart) / 1e9;
    System.out.printf(
        "Beam DirectRunner: %,.0f rows/s (PreprocessTrips + ExtractFeatures; %,d lines in %.1f s,"
            + " start-up included)%n",
        repeated.size() / beamSeconds, repeated.size(), beamSeconds);
  }

  /** DirectRunner, plus any Beam options given on the command line. */
  private static String[] beamArgs(String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = "--runner=DirectRunner";
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }

  private static long pass(List<String> lines, TaxiFeatures features) {
    long n = 0;
    for (String line : lines) {
      try {
        TaxiTrip trip = TaxiTripCsv.parse(line);
        if (TripRule.firstBroken(trip).isEmpty()) {
          n += Float.floatToRawIntBits(features.vector(trip)[0]) & 1;
        }
      } catch (MalformedTripException e) {
        n++;
      }
    }
    return n;
  }
}
