package dev.tidemark.transforms.skew;

import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.transforms.TidemarkCoders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Measures skew, processing time minus event time, for every element of its input (event time is
 * the element's Beam timestamp; processing time is read from a {@link ProcessingClock}), and emits
 * one {@link SkewHistogram} per window of the input's windowing (one per pane if the trigger fires
 * several times; a window without elements emits none).
 *
 * <p>Skew is normally positive: an event is processed after it happened. It is negative for events
 * stamped in the future (a device clock ahead, a scheduled event): processing time is then younger
 * than event time. Those are counted on their own, in the histogram's {@code future} bucket and in
 * the counter {@code eventsFromTheFuture}.
 *
 * <p>Metrics (namespace {@code MeasureSkew}): distribution {@code skewMillis} (every skew, negative
 * ones included), counters {@code elementsMeasured} and {@code eventsFromTheFuture}. The sum of the
 * histograms' totals equals {@code elementsMeasured}.
 *
 * <pre>{@code
 * trips.apply("MeasureSkew", MeasureSkew.<TaxiTrip>create());
 * }</pre>
 */
public final class MeasureSkew<T> extends PTransform<PCollection<T>, PCollection<SkewHistogram>> {

  private final ProcessingClock clock;
  private final SkewBuckets buckets;

  private MeasureSkew(ProcessingClock clock, SkewBuckets buckets) {
    this.clock = clock;
    this.buckets = buckets;
  }

  /** Measures with the system clock and the {@link SkewBuckets#standard() standard} buckets. */
  public static <T> MeasureSkew<T> create() {
    return new MeasureSkew<>(ProcessingClock.system(), SkewBuckets.standard());
  }

  /** Reads processing time from {@code clock}. */
  public MeasureSkew<T> withClock(ProcessingClock clock) {
    return new MeasureSkew<>(Objects.requireNonNull(clock, "clock"), buckets);
  }

  /** Buckets the histograms with {@code buckets}. */
  public MeasureSkew<T> withBuckets(SkewBuckets buckets) {
    return new MeasureSkew<>(clock, Objects.requireNonNull(buckets, "buckets"));
  }

  @Override
  public PCollection<SkewHistogram> expand(PCollection<T> input) {
    return input
        .apply("ComputeSkew", ParDo.of(new ComputeSkewFn<T>(clock)))
        .setCoder(VarLongCoder.of())
        .apply("BucketSkew", Combine.globally(new BucketSkewFn(buckets)).withoutDefaults())
        .apply("LabelWithWindow", ParDo.of(new LabelWithWindowFn(buckets)))
        .setCoder(TidemarkCoders.SKEW_HISTOGRAM);
  }

  /** Emits each element's skew in milliseconds (in its window) and records the metrics. */
  static final class ComputeSkewFn<T> extends DoFn<T, Long> {
    private final Distribution skew = Metrics.distribution(MeasureSkew.class, "skewMillis");
    private final Counter measured = Metrics.counter(MeasureSkew.class, "elementsMeasured");
    private final Counter future = Metrics.counter(MeasureSkew.class, "eventsFromTheFuture");
    private final ProcessingClock clock;

    ComputeSkewFn(ProcessingClock clock) {
      this.clock = clock;
    }

    @ProcessElement
    public void processElement(@Timestamp Instant eventTime, OutputReceiver<Long> out) {
      long skewMillis = clock.now().toEpochMilli() - eventTime.getMillis();
      skew.update(skewMillis);
      measured.inc();
      if (skewMillis < 0) {
        future.inc();
      }
      out.output(skewMillis);
    }
  }

  /** Counts skews per bucket: one count per bucket of the scheme. */
  static final class BucketSkewFn extends Combine.CombineFn<Long, List<Long>, List<Long>> {
    private final SkewBuckets buckets;

    BucketSkewFn(SkewBuckets buckets) {
      this.buckets = buckets;
    }

    @Override
    public List<Long> createAccumulator() {
      return new ArrayList<>(Collections.nCopies(buckets.size(), 0L));
    }

    @Override
    public List<Long> addInput(List<Long> counts, Long skewMillis) {
      int i = buckets.indexOf(skewMillis);
      counts.set(i, counts.get(i) + 1);
      return counts;
    }

    @Override
    public List<Long> mergeAccumulators(Iterable<List<Long>> accumulators) {
      List<Long> merged = createAccumulator();
      for (List<Long> counts : accumulators) {
        for (int i = 0; i < merged.size(); i++) {
          merged.set(i, merged.get(i) + counts.get(i));
        }
      }
      return merged;
    }

    @Override
    public List<Long> extractOutput(List<Long> counts) {
      return counts;
    }

    @Override
    public Coder<List<Long>> getAccumulatorCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return ListCoder.of(VarLongCoder.of());
    }

    @Override
    public Coder<List<Long>> getDefaultOutputCoder(CoderRegistry registry, Coder<Long> inputCoder) {
      return ListCoder.of(VarLongCoder.of());
    }
  }

  /** Turns a window's bucket counts into a {@link SkewHistogram} naming the window. */
  static final class LabelWithWindowFn extends DoFn<List<Long>, SkewHistogram> {
    private final SkewBuckets buckets;

    LabelWithWindowFn(SkewBuckets buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void processElement(
        @Element List<Long> counts, BoundedWindow window, OutputReceiver<SkewHistogram> out) {
      if (window instanceof IntervalWindow iw) {
        out.output(SkewHistogram.of(iw.start(), iw.end(), buckets, counts));
      } else {
        out.output(SkewHistogram.of(null, null, buckets, counts));
      }
    }
  }
}
