package dev.tidemark.transforms;

import dev.tidemark.core.reject.LogPosition;
import dev.tidemark.core.reject.Reject;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.coders.FloatArrayCoder;
import dev.tidemark.transforms.coders.RecordCoder;
import dev.tidemark.transforms.eventlog.LogRecord;
import dev.tidemark.transforms.inference.StepOutput;
import dev.tidemark.transforms.inference.TripPrediction;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DoubleCoder;
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

  @Override
  public List<CoderProvider> getCoderProviders() {
    return List.of(
        CoderProviders.forCoder(TypeDescriptor.of(TaxiTrip.class), TaxiTripCoder.of()),
        CoderProviders.forCoder(TypeDescriptor.of(LogPosition.class), LOG_POSITION),
        CoderProviders.forCoder(TypeDescriptor.of(Reject.class), REJECT),
        CoderProviders.forCoder(TypeDescriptor.of(LogRecord.class), LOG_RECORD),
        CoderProviders.forCoder(TypeDescriptor.of(AreaHourTotal.class), AreaHourTotal.coder()),
        CoderProviders.forCoder(TypeDescriptor.of(StepOutput.class), STEP_OUTPUT),
        CoderProviders.forCoder(TypeDescriptor.of(TripPrediction.class), TRIP_PREDICTION));
  }
}
