package dev.tidemark.core.trip;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trip's column table: every column of a {@link TaxiTrip}, in file order, with its name on the
 * wire, its value type and the range a trip event must respect. The one definition from which the
 * CSV and JSON codecs ({@link TaxiTripCsv}, {@link TaxiTripJson}), the Beam coder, the V2 tensors
 * of the protocol and the feature extraction are all derived: a new form of the trip is a new view
 * of this table, never a new list of its fields.
 *
 * <p>Values are boxed and {@code null} when missing: {@link Type#INTEGER} is an {@link Integer},
 * {@link Type#LONG} a {@link Long}, {@link Type#DECIMAL} a {@link Double}, {@link Type#TEXT} a
 * {@link String}.
 */
public enum TripColumn {
  PICKUP_COMMUNITY_AREA(
      "pickup_community_area", Type.INTEGER, TaxiTrip::pickupCommunityArea, 1, 77),
  FARE("fare", Type.DECIMAL, t -> Double.isNaN(t.fare()) ? null : t.fare(), 0, Long.MAX_VALUE),
  TRIP_START_MONTH("trip_start_month", Type.INTEGER, TaxiTrip::tripStartMonth, 1, 12),
  TRIP_START_HOUR("trip_start_hour", Type.INTEGER, TaxiTrip::tripStartHour, 0, 23),
  TRIP_START_DAY("trip_start_day", Type.INTEGER, TaxiTrip::tripStartDay, 1, 7),
  /** Event time, Unix seconds; a trip event must start in 2000-2099. */
  TRIP_START_TIMESTAMP(
      "trip_start_timestamp",
      Type.LONG,
      t -> t.tripStartTimestamp() == TaxiTrip.UNKNOWN_START ? null : t.tripStartTimestamp(),
      946_684_800L,
      4_102_444_799L),
  PICKUP_LATITUDE("pickup_latitude", Type.DECIMAL, TaxiTrip::pickupLatitude),
  PICKUP_LONGITUDE("pickup_longitude", Type.DECIMAL, TaxiTrip::pickupLongitude),
  DROPOFF_LATITUDE("dropoff_latitude", Type.DECIMAL, TaxiTrip::dropoffLatitude),
  DROPOFF_LONGITUDE("dropoff_longitude", Type.DECIMAL, TaxiTrip::dropoffLongitude),
  TRIP_MILES("trip_miles", Type.DECIMAL, TaxiTrip::tripMiles, 0, Long.MAX_VALUE),
  PICKUP_CENSUS_TRACT("pickup_census_tract", Type.TEXT, TaxiTrip::pickupCensusTract),
  DROPOFF_CENSUS_TRACT("dropoff_census_tract", Type.TEXT, TaxiTrip::dropoffCensusTract),
  PAYMENT_TYPE("payment_type", Type.TEXT, TaxiTrip::paymentType),
  COMPANY("company", Type.TEXT, TaxiTrip::company),
  TRIP_SECONDS("trip_seconds", Type.INTEGER, TaxiTrip::tripSeconds, 0, Integer.MAX_VALUE),
  DROPOFF_COMMUNITY_AREA(
      "dropoff_community_area", Type.INTEGER, TaxiTrip::dropoffCommunityArea, 1, 77),
  /** The tip: the training label comes from it; features never read it. */
  TIPS("tips", Type.DECIMAL, TaxiTrip::tips);

  /** The Java type of a column's values. */
  public enum Type {
    /** {@link Integer}: counts, codes, small numbers. */
    INTEGER,
    /** {@link Long}: the event time in Unix seconds. */
    LONG,
    /** {@link Double}: money, distances, coordinates. */
    DECIMAL,
    /** {@link String}: names and identifiers. */
    TEXT;

    /** Whether values of this type are numbers. */
    public boolean isNumeric() {
      return this != TEXT;
    }
  }

  /** Every column, in file order (the order of {@link TaxiTrip}'s components). */
  public static final List<TripColumn> ALL = List.of(values());

  /** Every column's name, in file order: the CSV header. */
  public static final List<String> NAMES = ALL.stream().map(TripColumn::column).toList();

  private static final Map<String, TripColumn> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(TripColumn::column, c -> c));

  private final String column;
  private final Type type;
  private final Function<TaxiTrip, Object> getter;
  private final long min;
  private final long max;
  private final boolean ranged;

  TripColumn(String column, Type type, Function<TaxiTrip, Object> getter) {
    this(column, type, getter, Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  TripColumn(String column, Type type, Function<TaxiTrip, Object> getter, long min, long max) {
    this(column, type, getter, min, max, true);
  }

  TripColumn(
      String column,
      Type type,
      Function<TaxiTrip, Object> getter,
      long min,
      long max,
      boolean ranged) {
    this.column = column;
    this.type = type;
    this.getter = getter;
    this.min = min;
    this.max = max;
    this.ranged = ranged;
  }

  /** The column's name on the wire: CSV header, JSON field, V2 input name. */
  public String column() {
    return column;
  }

  /** The type of its values. */
  public Type type() {
    return type;
  }

  /** The column called {@code name}, if there is one. */
  public static Optional<TripColumn> named(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Whether this is the label's column ({@code tips}), which features never read. */
  public boolean isLabel() {
    return this == TIPS;
  }

  /** Whether this is the event time ({@code trip_start_timestamp}), which is not a feature. */
  public boolean isEventTime() {
    return this == TRIP_START_TIMESTAMP;
  }

  /** Whether a model may read this column as a feature: every column but label and event time. */
  public boolean isFeature() {
    return !isLabel() && !isEventTime();
  }

  /** Whether every trip has it: the fare and the start time (the parsers refuse trips without). */
  public boolean isRequired() {
    return this == FARE || this == TRIP_START_TIMESTAMP;
  }

  /** The value of this column in {@code trip}, boxed, or null when missing. */
  public Object valueOf(TaxiTrip trip) {
    return getter.apply(trip);
  }

  /** The value as a number (for features), or null when missing or not numeric. */
  public Double numberOf(TaxiTrip trip) {
    Object v = getter.apply(trip);
    return v instanceof Number n ? n.doubleValue() : null;
  }

  /** A trip from its values, in {@link #ALL} order ({@code null} = missing). */
  public static TaxiTrip trip(Object[] values) {
    if (values.length != ALL.size()) {
      throw new IllegalArgumentException(
          "a trip has " + ALL.size() + " columns, got " + values.length + " values");
    }
    Double fare = (Double) values[FARE.ordinal()];
    Long start = (Long) values[TRIP_START_TIMESTAMP.ordinal()];
    return new TaxiTrip(
        (Integer) values[0],
        fare == null ? Double.NaN : fare,
        (Integer) values[2],
        (Integer) values[3],
        (Integer) values[4],
        start == null ? TaxiTrip.UNKNOWN_START : start,
        (Double) values[6],
        (Double) values[7],
        (Double) values[8],
        (Double) values[9],
        (Double) values[10],
        (String) values[11],
        (String) values[12],
        (String) values[13],
        (String) values[14],
        (Integer) values[15],
        (Integer) values[16],
        (Double) values[17]);
  }

  /** The values of {@code trip}, in {@link #ALL} order ({@code null} = missing). */
  public static Object[] values(TaxiTrip trip) {
    Object[] out = new Object[ALL.size()];
    for (TripColumn c : ALL) {
      out[c.ordinal()] = c.getter.apply(trip);
    }
    return out;
  }

  // ----- reading values -----

  /**
   * Reads a value written as text, as in the CSV: surrounding blanks are ignored and an empty field
   * is missing.
   *
   * @throws MalformedTripException when the text is not a value of this column's type
   */
  public Object fromText(String raw) throws MalformedTripException {
    String s = raw == null ? "" : raw.strip();
    if (s.isEmpty()) {
      return null;
    }
    return switch (type) {
      case TEXT -> s;
      case DECIMAL -> parseDecimal(s);
      case LONG -> parseLong(s);
      case INTEGER -> narrow(parseLong(s));
    };
  }

  /**
   * Reads a value of a trip event ({@link TaxiTripJson#parse}): numbers must be JSON numbers, text
   * JSON strings, and the value must lie in the column's range for events.
   *
   * @throws MalformedTripException with the reason when it does not
   */
  public Object fromEventJson(JsonNode v) throws MalformedTripException {
    if (v == null || v.isNull()) {
      return null;
    }
    Object value =
        switch (type) {
          case TEXT -> {
            if (!v.isTextual()) {
              throw new MalformedTripException(column + " is not a string: " + v);
            }
            yield v.asText();
          }
          case DECIMAL -> {
            if (!v.isNumber()) {
              throw new MalformedTripException(column + " is not a number: " + v);
            }
            double d = v.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
              throw new MalformedTripException(column + " is not a finite number: " + v);
            }
            yield d;
          }
          case LONG, INTEGER -> {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
              throw new MalformedTripException(column + " is not an integer: " + v);
            }
            yield v.longValue();
          }
        };
    return checkEventRange(value);
  }

  /**
   * Reads a loosely typed value, as a KServe V1 instance or a V2 tensor element carries it: a
   * number, a numeric string (exactly like the CSV), a string, or null; a census tract sent as a
   * JSON number is rendered as the CSV writes it.
   *
   * @throws MalformedTripException when a present value is not of this column's type
   */
  public Object fromLoose(Object v) throws MalformedTripException {
    if (v == null) {
      return null;
    }
    if (type == Type.TEXT) {
      if (v instanceof Double || v instanceof Float) {
        return fromText(new BigDecimal(v.toString()).stripTrailingZeros().toPlainString());
      }
      return fromText(v.toString());
    }
    if (v instanceof Boolean) {
      throw new MalformedTripException(
          column + " is not " + (type == Type.DECIMAL ? "a number" : "an integer") + ": " + v);
    }
    if (v instanceof Number n) {
      if (type == Type.DECIMAL) {
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new MalformedTripException(column + " is not a finite number: " + v);
        }
        return d;
      }
      long whole;
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        whole = n.longValue();
      } else {
        double d = n.doubleValue();
        if (d != Math.rint(d) || Double.isInfinite(d)) {
          throw new MalformedTripException(column + " is not an integer: " + v);
        }
        whole = (long) d;
      }
      // (Object) keeps the ternary from promoting an Integer to a long.
      return type == Type.INTEGER ? (Object) narrow(whole) : (Object) whole;
    }
    return fromText(v.toString());
  }

  private Object checkEventRange(Object value) throws MalformedTripException {
    if (!ranged || value == null) {
      return type == Type.INTEGER && value != null ? narrow((Long) value) : value;
    }
    if (type == Type.DECIMAL) {
      double d = (Double) value;
      if (d < min) {
        throw new MalformedTripException(column + " is negative: " + d);
      }
      return d;
    }
    long v = (Long) value;
    if (v < min || v > max) {
      if (isEventTime()) {
        throw new MalformedTripException(column + " is not a plausible time (2000-2099): " + value);
      }
      throw new MalformedTripException(column + " is out of range " + min + ".." + max + ": " + v);
    }
    return type == Type.INTEGER ? (Object) (int) v : (Object) v;
  }

  private Double parseDecimal(String s) throws MalformedTripException {
    try {
      double d = Double.parseDouble(s);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new MalformedTripException(column + " is not a number: '" + s + "'");
    }
  }

  private Long parseLong(String s) throws MalformedTripException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedTripException(column + " is not an integer: '" + s + "'");
    }
  }

  private Integer narrow(long v) throws MalformedTripException {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new MalformedTripException(column + " is out of range: " + v);
    }
    return (int) v;
  }

  /** The column names, for messages: {@code pickup_community_area, fare, ...}. */
  public static String describe() {
    return String.join(", ", NAMES);
  }

  @Override
  public String toString() {
    return column;
  }

  static {
    // The table must follow TaxiTrip's components one to one, in order.
    var components = TaxiTrip.class.getRecordComponents();
    if (components.length != ALL.size()) {
      throw new ExceptionInInitializerError(
          "TripColumn lists " + ALL.size() + " columns, TaxiTrip has " + components.length);
    }
    String[] expected =
        Arrays.stream(components)
            .map(rc -> rc.getName().replaceAll("([A-Z])", "_$1").toLowerCase())
            .toArray(String[]::new);
    for (TripColumn c : ALL) {
      if (!expected[c.ordinal()].equals(c.column)) {
        throw new ExceptionInInitializerError(
            "column "
                + c.ordinal()
                + " is "
                + c.column
                + " but TaxiTrip has "
                + expected[c.ordinal()]);
      }
    }
  }
}
