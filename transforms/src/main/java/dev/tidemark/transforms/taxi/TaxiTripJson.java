package dev.tidemark.transforms.taxi;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Builds a {@link TaxiTrip} from a JSON object whose keys are the CSV column names ({@link
 * TaxiTripCsv#COLUMNS}): the form in which the model server receives KServe V1 instances. Plain
 * Java, free of Beam.
 *
 * <p>Any field may be missing, {@code null} or an empty string; such a field is missing in the trip
 * ({@code null}). Two columns are primitives in {@link TaxiTrip}: a missing {@code fare} becomes
 * {@link Double#NaN} and a missing {@code trip_start_timestamp} becomes {@link
 * TaxiTrip#UNKNOWN_START}. Numbers may be given as JSON numbers or as numeric strings, exactly like
 * the CSV: the same trip yields the same {@link TaxiTrip} either way. Unknown keys are ignored.
 */
public final class TaxiTripJson {

  private TaxiTripJson() {}

  /**
   * Converts one JSON object (as parsed by Jackson or any JSON library into a map).
   *
   * @throws MalformedTripException when a present field is not of its column's type
   */
  public static TaxiTrip fromJsonMap(Map<String, ?> m) throws MalformedTripException {
    Double fare = decimal(m, "fare");
    Long start = integer(m, "trip_start_timestamp");
    return new TaxiTrip(
        smallInt(m, "pickup_community_area"),
        fare == null ? Double.NaN : fare,
        smallInt(m, "trip_start_month"),
        smallInt(m, "trip_start_hour"),
        smallInt(m, "trip_start_day"),
        start == null ? TaxiTrip.UNKNOWN_START : start,
        decimal(m, "pickup_latitude"),
        decimal(m, "pickup_longitude"),
        decimal(m, "dropoff_latitude"),
        decimal(m, "dropoff_longitude"),
        decimal(m, "trip_miles"),
        text(m, "pickup_census_tract"),
        text(m, "dropoff_census_tract"),
        text(m, "payment_type"),
        text(m, "company"),
        smallInt(m, "trip_seconds"),
        smallInt(m, "dropoff_community_area"),
        decimal(m, "tips"));
  }

  private static String text(Map<String, ?> m, String column) {
    Object v = m.get(column);
    if (v == null) {
      return null;
    }
    String s;
    if (v instanceof Double || v instanceof Float) {
      // A census tract sent as a JSON number: render it as the CSV does (no exponent, no ".0").
      s = new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
    } else {
      s = v.toString();
    }
    s = s.strip();
    return s.isEmpty() ? null : s;
  }

  private static Double decimal(Map<String, ?> m, String column) throws MalformedTripException {
    Object v = m.get(column);
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new MalformedTripException(column + " is not a finite number: " + v);
      }
      return d;
    }
    String s = text(m, column);
    if (s == null) {
      return null;
    }
    if (v instanceof Boolean) {
      throw new MalformedTripException(column + " is not a number: " + v);
    }
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

  private static Long integer(Map<String, ?> m, String column) throws MalformedTripException {
    Object v = m.get(column);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new MalformedTripException(column + " is not an integer: " + v);
      }
      return (long) d;
    }
    String s = text(m, column);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedTripException(column + " is not an integer: '" + s + "'");
    }
  }

  private static Integer smallInt(Map<String, ?> m, String column) throws MalformedTripException {
    Long v = integer(m, column);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new MalformedTripException(column + " is out of range: " + v);
    }
    return v.intValue();
  }
}
