package dev.tidemark.core.features;

import dev.tidemark.core.features.FeatureSpec.Feature;
import dev.tidemark.core.features.FeatureSpec.Kind;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TripColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The single place where a raw {@link TaxiTrip} becomes a model input: an FP32 vector laid out by a
 * {@link FeatureSpec}. Used by training, batch scoring, the streaming pipeline and the model
 * server. Plain Java, free of Beam; immutable and thread-safe.
 *
 * <p>It never reads {@code tips} (the label comes from it) nor {@code trip_start_timestamp}: the
 * spec refuses those columns, and there is no accessor for them.
 *
 * <p>Missing values, by rule (never silently zero-filled):
 *
 * <ul>
 *   <li>a missing numeric column (or a NaN fare) is NaN in its NUMERIC and BUCKETIZED slots:
 *       XGBoost treats NaN as missing and learns a default branch for it;
 *   <li>columns that are often missing also get a MISSING_INDICATOR slot (1 = missing), so that
 *       "missing" is an explicit, inspectable input;
 *   <li>a missing categorical column is 0 in all its ONE_HOT slots and in its OUT_OF_VOCABULARY
 *       slot; a present value outside the vocabulary sets only the OUT_OF_VOCABULARY slot.
 * </ul>
 *
 * <p>The standard layout ({@link #standardSpec}): {@link #NUMERIC_COLUMNS} as NUMERIC, the hour of
 * day bucketized at {@link #HOUR_BUCKET_BOUNDARIES}, {@link #INDICATOR_COLUMNS} as
 * MISSING_INDICATOR, then for each of {@link #CATEGORICAL_COLUMNS} one ONE_HOT slot per vocabulary
 * term and one OUT_OF_VOCABULARY slot.
 */
public final class TaxiFeatures {

  /** The label definition recorded in specs (features never read it). */
  public static final String LABEL = "tips > 0.2 * fare";

  /** Numeric columns used as is, in vector order. */
  public static final List<String> NUMERIC_COLUMNS =
      List.of(
          "fare",
          "trip_miles",
          "trip_seconds",
          "trip_start_hour",
          "trip_start_day",
          "trip_start_month",
          "pickup_latitude",
          "pickup_longitude",
          "dropoff_latitude",
          "dropoff_longitude",
          "pickup_community_area",
          "dropoff_community_area");

  /** Bucket boundaries of the hour of day: night, morning rush, midday, evening rush, evening. */
  public static final List<Double> HOUR_BUCKET_BOUNDARIES = List.of(6.0, 10.0, 16.0, 20.0);

  /** Columns that get a missing-value indicator slot. */
  public static final List<String> INDICATOR_COLUMNS =
      List.of(
          "trip_miles",
          "trip_seconds",
          "pickup_latitude",
          "dropoff_latitude",
          "pickup_community_area",
          "dropoff_community_area",
          "dropoff_census_tract",
          "company");

  /** Categorical columns, one-hot encoded over a vocabulary learned from the training split. */
  public static final List<String> CATEGORICAL_COLUMNS = List.of("payment_type", "company");

  /** The numeric feature columns by name: every numeric column of the table but the event time. */
  private static final Map<String, Function<TaxiTrip, Double>> NUMBERS = new LinkedHashMap<>();

  /** The text feature columns by name. */
  private static final Map<String, Function<TaxiTrip, String>> TEXTS = new LinkedHashMap<>();

  static {
    for (TripColumn c : TripColumn.ALL) {
      if (!c.isFeature()) {
        continue;
      }
      if (c.type().isNumeric()) {
        NUMBERS.put(c.column(), c::numberOf);
      } else {
        TEXTS.put(c.column(), t -> (String) c.valueOf(t));
      }
    }
  }

  /**
   * The columns features may read: every CSV column except {@code tips} (the label) and {@code
   * trip_start_timestamp} (event time, not a feature).
   */
  public static final Set<String> READABLE_COLUMNS =
      Set.copyOf(
          TripColumn.ALL.stream().filter(TripColumn::isFeature).map(TripColumn::column).toList());

  private final FeatureSpec spec;
  private final Slot[] slots;

  /**
   * Features laid out by {@code spec} (for example one reloaded from {@code feature_spec.json}).
   */
  public TaxiFeatures(FeatureSpec spec) {
    this.spec = spec;
    Map<String, Set<String>> vocabularies = new HashMap<>();
    for (Feature f : spec.features()) {
      if (f.kind() == Kind.ONE_HOT) {
        vocabularies.computeIfAbsent(f.column(), c -> new HashSet<>()).add(f.term());
      }
    }
    this.slots = new Slot[spec.length()];
    for (Feature f : spec.features()) {
      boolean numeric = NUMBERS.containsKey(f.column());
      switch (f.kind()) {
        case NUMERIC, BUCKETIZED -> {
          if (!numeric) {
            throw new IllegalArgumentException(f.name() + ": column " + f.column() + " is text");
          }
        }
        case ONE_HOT, OUT_OF_VOCABULARY -> {
          if (numeric) {
            throw new IllegalArgumentException(f.name() + ": column " + f.column() + " is numeric");
          }
        }
        case MISSING_INDICATOR -> {}
      }
      double[] bounds =
          f.boundaries() == null
              ? null
              : f.boundaries().stream().mapToDouble(Double::doubleValue).toArray();
      slots[f.index()] =
          new Slot(
              f.kind(),
              NUMBERS.get(f.column()),
              TEXTS.get(f.column()),
              f.term(),
              bounds,
              vocabularies.getOrDefault(f.column(), Set.of()));
    }
  }

  /** The standard layout with the given vocabularies and training ranges (see class comment). */
  public static FeatureSpec standardSpec(
      Map<String, List<String>> vocabularies, Map<String, double[]> trainingRanges) {
    List<Feature> features = new ArrayList<>();
    for (String column : NUMERIC_COLUMNS) {
      double[] range = trainingRanges.get(column);
      features.add(
          new Feature(
              features.size(),
              column,
              Kind.NUMERIC,
              column,
              null,
              null,
              range == null ? null : range[0],
              range == null ? null : range[1]));
    }
    double[] hours = trainingRanges.get("trip_start_hour");
    double[] bounds = HOUR_BUCKET_BOUNDARIES.stream().mapToDouble(Double::doubleValue).toArray();
    features.add(
        new Feature(
            features.size(),
            "trip_start_hour_bucket",
            Kind.BUCKETIZED,
            "trip_start_hour",
            null,
            HOUR_BUCKET_BOUNDARIES,
            hours == null ? null : (double) bucket(hours[0], bounds),
            hours == null ? null : (double) bucket(hours[1], bounds)));
    for (String column : INDICATOR_COLUMNS) {
      features.add(
          new Feature(
              features.size(),
              column + "_missing",
              Kind.MISSING_INDICATOR,
              column,
              null,
              null,
              null,
              null));
    }
    for (String column : CATEGORICAL_COLUMNS) {
      for (String term : vocabularies.getOrDefault(column, List.of())) {
        features.add(
            new Feature(
                features.size(),
                column + "=" + term,
                Kind.ONE_HOT,
                column,
                term,
                null,
                null,
                null));
      }
      features.add(
          new Feature(
              features.size(),
              column + "=<OOV>",
              Kind.OUT_OF_VOCABULARY,
              column,
              null,
              null,
              null,
              null));
    }
    return FeatureSpec.of(LABEL, features);
  }

  /** The spec this instance lays vectors out by. */
  public FeatureSpec spec() {
    return spec;
  }

  /** The vector length. */
  public int length() {
    return slots.length;
  }

  /** The feature vector of {@code trip}. */
  public float[] vector(TaxiTrip trip) {
    float[] out = new float[slots.length];
    writeVector(trip, out, 0);
    return out;
  }

  /**
   * Writes the feature vector of {@code trip} into {@code out} from {@code offset} (for batches).
   */
  public void writeVector(TaxiTrip trip, float[] out, int offset) {
    for (int i = 0; i < slots.length; i++) {
      out[offset + i] = slots[i].value(trip);
    }
  }

  /** The index of the bucket {@code value} falls in: the number of boundaries ≤ value. */
  static int bucket(double value, double[] boundaries) {
    int b = 0;
    while (b < boundaries.length && value >= boundaries[b]) {
      b++;
    }
    return b;
  }

  /** The value of numeric {@code column} in {@code trip}, or null when missing. */
  static Double numberColumn(TaxiTrip trip, String column) {
    Function<TaxiTrip, Double> f = NUMBERS.get(column);
    if (f == null) {
      throw new IllegalArgumentException("not a numeric feature column: " + column);
    }
    return f.apply(trip);
  }

  /** The value of text {@code column} in {@code trip}, or null when missing. */
  static String textColumn(TaxiTrip trip, String column) {
    Function<TaxiTrip, String> f = TEXTS.get(column);
    if (f == null) {
      throw new IllegalArgumentException("not a text feature column: " + column);
    }
    return f.apply(trip);
  }

  /** One compiled slot of the spec. */
  private record Slot(
      Kind kind,
      Function<TaxiTrip, Double> number,
      Function<TaxiTrip, String> text,
      String term,
      double[] boundaries,
      Set<String> vocabulary) {

    float value(TaxiTrip trip) {
      switch (kind) {
        case NUMERIC -> {
          Double v = number.apply(trip);
          return v == null ? Float.NaN : v.floatValue();
        }
        case BUCKETIZED -> {
          Double v = number.apply(trip);
          return v == null ? Float.NaN : bucket(v, boundaries);
        }
        case MISSING_INDICATOR -> {
          Object v = number != null ? number.apply(trip) : text.apply(trip);
          return v == null ? 1f : 0f;
        }
        case ONE_HOT -> {
          return term.equals(text.apply(trip)) ? 1f : 0f;
        }
        case OUT_OF_VOCABULARY -> {
          String v = text.apply(trip);
          return v != null && !vocabulary.contains(v) ? 1f : 0f;
        }
        default -> throw new IllegalStateException("unknown kind " + kind);
      }
    }
  }
}
