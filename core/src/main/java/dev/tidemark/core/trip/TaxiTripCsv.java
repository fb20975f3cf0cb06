package dev.tidemark.core.trip;

import java.util.List;

/**
 * Reads and writes {@link TaxiTrip}s in the CSV layout of the shipped sample ({@code
 * data/chicago-taxi/trips.csv}): 18 comma-separated columns, empty fields for missing values. Plain
 * Java, free of Beam.
 */
public final class TaxiTripCsv {

  /** The column names, in file order. */
  public static final List<String> COLUMNS =
      List.of(
          "pickup_community_area",
          "fare",
          "trip_start_month",
          "trip_start_hour",
          "trip_start_day",
          "trip_start_timestamp",
          "pickup_latitude",
          "pickup_longitude",
          "dropoff_latitude",
          "dropoff_longitude",
          "trip_miles",
          "pickup_census_tract",
          "dropoff_census_tract",
          "payment_type",
          "company",
          "trip_seconds",
          "dropoff_community_area",
          "tips");

  /** The header line of the file. */
  public static final String HEADER = String.join(",", COLUMNS);

  private TaxiTripCsv() {}

  /** Whether {@code line} is the header line. */
  public static boolean isHeader(String line) {
    return HEADER.equals(line.strip());
  }

  /**
   * Parses one data line.
   *
   * @throws MalformedTripException with a one-sentence reason when the line has the wrong number of
   *     fields, a field that is not of its column's type, or lacks the fare or the start time
   */
  public static TaxiTrip parse(String line) throws MalformedTripException {
    String[] f = line.split(",", -1);
    if (f.length != COLUMNS.size()) {
      throw new MalformedTripException(
          "expected " + COLUMNS.size() + " comma-separated fields, found " + f.length);
    }
    Double fare = decimal(f, 1);
    if (fare == null) {
      throw new MalformedTripException("fare is missing");
    }
    Long start = integer(f, 5);
    if (start == null) {
      throw new MalformedTripException("trip_start_timestamp is missing");
    }
    return new TaxiTrip(
        smallInt(f, 0),
        fare,
        smallInt(f, 2),
        smallInt(f, 3),
        smallInt(f, 4),
        start,
        decimal(f, 6),
        decimal(f, 7),
        decimal(f, 8),
        decimal(f, 9),
        decimal(f, 10),
        text(f, 11),
        text(f, 12),
        text(f, 13),
        text(f, 14),
        smallInt(f, 15),
        smallInt(f, 16),
        decimal(f, 17));
  }

  /** Formats a trip as one data line; {@code parse(format(t))} equals {@code t}. */
  public static String format(TaxiTrip t) {
    return String.join(
        ",",
        str(t.pickupCommunityArea()),
        Double.toString(t.fare()),
        str(t.tripStartMonth()),
        str(t.tripStartHour()),
        str(t.tripStartDay()),
        Long.toString(t.tripStartTimestamp()),
        str(t.pickupLatitude()),
        str(t.pickupLongitude()),
        str(t.dropoffLatitude()),
        str(t.dropoffLongitude()),
        str(t.tripMiles()),
        str(t.pickupCensusTract()),
        str(t.dropoffCensusTract()),
        str(t.paymentType()),
        str(t.company()),
        str(t.tripSeconds()),
        str(t.dropoffCommunityArea()),
        str(t.tips()));
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  private static String text(String[] f, int i) {
    String s = f[i].strip();
    return s.isEmpty() ? null : s;
  }

  private static Double decimal(String[] f, int i) throws MalformedTripException {
    String s = text(f, i);
    if (s == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(s);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new MalformedTripException(COLUMNS.get(i) + " is not a number: '" + s + "'");
    }
  }

  private static Long integer(String[] f, int i) throws MalformedTripException {
    String s = text(f, i);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedTripException(COLUMNS.get(i) + " is not an integer: '" + s + "'");
    }
  }

  private static Integer smallInt(String[] f, int i) throws MalformedTripException {
    Long v = integer(f, i);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new MalformedTripException(COLUMNS.get(i) + " is out of range: " + v);
    }
    return v.intValue();
  }
}
