package dev.tidemark.transforms;

import dev.tidemark.core.model.Explanation;
import dev.tidemark.core.reject.LogPosition;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.coders.FloatArrayCoder;
import dev.tidemark.transforms.coders.LongArrayCoder;
import dev.tidemark.transforms.coders.RecordCoder;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.inference.AttentionPolicy;
import dev.tidemark.transforms.inference.FeatureDrift;
import dev.tidemark.transforms.inference.MonitoringRecord;
import dev.tidemark.transforms.inference.ReviewRecord;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.inference.graph.ChampionChallengerReport;
import dev.tidemark.transforms.skew.SkewHistogram;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.FloatCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The explicit coders of Tidemark's domain records, registered as Beam's defaults so that every
 * pipeline encodes them compactly and deterministically without naming a coder at each step, and
 * never falls back to Java serialization. Found by Beam's {@code ServiceLoader} through {@code
 * META-INF/services/org.apache.beam.sdk.coders.CoderProviderRegistrar}.
 */
public final class TidemarkCoders implements CoderProviderRegistrar {

  private static final Coder<byte[]> OPTIONAL_BYTES = NullableCoder.of(ByteArrayCoder.of());

  /** {@link LogPosition}: topic, partition, offset. */
  public static final Coder<LogPosition> LOG_POSITION =
      RecordCoder.of(LogPosition.class, StringUtf8Coder.of(), VarIntCoder.of(), VarLongCoder.of());

  /** {@link Reject}: source, reason, payload, key, position (the last three optional). */
  public static final Coder<Reject> REJECT =
      RecordCoder.of(
          Reject.class,
          StringUtf8Coder.of(),
          StringUtf8Coder.of(),
          OPTIONAL_BYTES,
          OPTIONAL_BYTES,
          NullableCoder.of(LOG_POSITION));

  /** {@link LogRecord}: source, position (optional), key and value (optional bytes). */
  public static final Coder<LogRecord> LOG_RECORD =
      RecordCoder.of(
          LogRecord.class,
          StringUtf8Coder.of(),
          NullableCoder.of(LOG_POSITION),
          OPTIONAL_BYTES,
          OPTIONAL_BYTES);

  /** {@link StepOutput}: step, model, version, probability. */
  public static final Coder<StepOutput> STEP_OUTPUT =
      RecordCoder.of(
          StepOutput.class,
          StringUtf8Coder.of(),
          StringUtf8Coder.of(),
          StringUtf8Coder.of(),
          DoubleCoder.of());

  /**
   * {@link TripPrediction}: trip id, event time, probability, model, version, latency, features
   * (optional), graph steps.
   */
  public static final Coder<TripPrediction> TRIP_PREDICTION =
      RecordCoder.of(
          TripPrediction.class,
          StringUtf8Coder.of(),
          VarLongCoder.of(),
          DoubleCoder.of(),
          StringUtf8Coder.of(),
          StringUtf8Coder.of(),
          VarLongCoder.of(),
          NullableCoder.of(FloatArrayCoder.of()),
          ListCoder.of(STEP_OUTPUT));

  private static final Coder<String> TEXT = StringUtf8Coder.of();

  /** {@link Explanation.Contribution}: feature, value, contribution. */
  public static final Coder<Explanation.Contribution> CONTRIBUTION =
      RecordCoder.of(Explanation.Contribution.class, TEXT, DoubleCoder.of(), DoubleCoder.of());

  /** {@link Explanation}: bias, margin, probability, contributions. */
  public static final Coder<Explanation> EXPLANATION =
      RecordCoder.of(
          Explanation.class,
          DoubleCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of(),
          ListCoder.of(CONTRIBUTION));

  /** {@link AttentionPolicy.OutOfRange}: feature, value, training min and max (optional). */
  public static final Coder<AttentionPolicy.OutOfRange> OUT_OF_RANGE =
      RecordCoder.of(
          AttentionPolicy.OutOfRange.class,
          TEXT,
          FloatCoder.of(),
          NullableCoder.of(DoubleCoder.of()),
          NullableCoder.of(DoubleCoder.of()));

  /** {@link ReviewRecord}: the prediction, reasons, out-of-range inputs, explanation or error. */
  public static final Coder<ReviewRecord> REVIEW_RECORD =
      RecordCoder.of(
          ReviewRecord.class,
          TEXT,
          VarLongCoder.of(),
          DoubleCoder.of(),
          TEXT,
          TEXT,
          ListCoder.of(TEXT),
          ListCoder.of(OUT_OF_RANGE),
          NullableCoder.of(EXPLANATION),
          NullableCoder.of(TEXT));

  /** {@link SkewHistogram.Bucket}: label, count. */
  public static final Coder<SkewHistogram.Bucket> SKEW_BUCKET =
      RecordCoder.of(SkewHistogram.Bucket.class, TEXT, VarLongCoder.of());

  /** {@link SkewHistogram}: window bounds (absent for the global window), buckets. */
  public static final Coder<SkewHistogram> SKEW_HISTOGRAM =
      RecordCoder.of(
          SkewHistogram.class,
          NullableCoder.of(InstantCoder.of()),
          NullableCoder.of(InstantCoder.of()),
          ListCoder.of(SKEW_BUCKET));

  /** {@link FeatureDrift}: feature, index, values, PSI, alert, KS statistic and p-value. */
  public static final Coder<FeatureDrift> FEATURE_DRIFT =
      RecordCoder.of(
          FeatureDrift.class,
          TEXT,
          VarIntCoder.of(),
          VarLongCoder.of(),
          DoubleCoder.of(),
          BooleanCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of());

  /** {@link MonitoringRecord}: every field of one monitoring pane. */
  public static final Coder<MonitoringRecord> MONITORING_RECORD =
      RecordCoder.of(
          MonitoringRecord.class,
          VarLongCoder.of(),
          VarLongCoder.of(),
          TEXT,
          VarLongCoder.of(),
          VarLongCoder.of(),
          VarLongCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of(),
          LongArrayCoder.of(),
          ListCoder.of(FEATURE_DRIFT),
          SKEW_HISTOGRAM);

  /** {@link ChampionChallengerReport.StepSummary}. */
  public static final Coder<ChampionChallengerReport.StepSummary> STEP_SUMMARY =
      RecordCoder.of(
          ChampionChallengerReport.StepSummary.class,
          TEXT,
          ListCoder.of(TEXT),
          VarLongCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of());

  /** {@link ChampionChallengerReport.PairSummary}. */
  public static final Coder<ChampionChallengerReport.PairSummary> PAIR_SUMMARY =
      RecordCoder.of(
          ChampionChallengerReport.PairSummary.class,
          TEXT,
          TEXT,
          VarLongCoder.of(),
          DoubleCoder.of(),
          DoubleCoder.of());

  /** {@link ChampionChallengerReport}: window, timing, per-step and per-pair figures. */
  public static final Coder<ChampionChallengerReport> CHAMPION_CHALLENGER_REPORT =
      RecordCoder.of(
          ChampionChallengerReport.class,
          VarLongCoder.of(),
          VarLongCoder.of(),
          TEXT,
          ListCoder.of(STEP_SUMMARY),
          ListCoder.of(PAIR_SUMMARY));

  @Override
  public List<CoderProvider> getCoderProviders() {
    return List.of(
        CoderProviders.forCoder(TypeDescriptor.of(TaxiTrip.class), TaxiTripCoder.of()),
        CoderProviders.forCoder(TypeDescriptor.of(LogPosition.class), LOG_POSITION),
        CoderProviders.forCoder(TypeDescriptor.of(Reject.class), REJECT),
        CoderProviders.forCoder(TypeDescriptor.of(LogRecord.class), LOG_RECORD),
        CoderProviders.forCoder(TypeDescriptor.of(AreaHourTotal.class), AreaHourTotal.coder()),
        CoderProviders.forCoder(TypeDescriptor.of(StepOutput.class), STEP_OUTPUT),
        CoderProviders.forCoder(TypeDescriptor.of(TripPrediction.class), TRIP_PREDICTION),
        CoderProviders.forCoder(TypeDescriptor.of(Explanation.class), EXPLANATION),
        CoderProviders.forCoder(TypeDescriptor.of(ReviewRecord.class), REVIEW_RECORD),
        CoderProviders.forCoder(TypeDescriptor.of(SkewHistogram.class), SKEW_HISTOGRAM),
        CoderProviders.forCoder(TypeDescriptor.of(MonitoringRecord.class), MONITORING_RECORD),
        CoderProviders.forCoder(
            TypeDescriptor.of(ChampionChallengerReport.class), CHAMPION_CHALLENGER_REPORT));
  }
}
