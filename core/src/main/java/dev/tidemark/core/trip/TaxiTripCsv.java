package dev.tidemark.core.trip;

import java.util.List;

/**
 * Reads and writes {@link TaxiTrip}s in the CSV layout of the shipped sample ({@code
 * data/chicago-taxi/trips.csv}): 18 comma-separated columns, empty fields for missing values. Plain
 * Java, free of Beam.
 */
public final class TaxiTripCsv {

  /** The column names, in file order ({@link TripColumn#NAMES}). */
  public static final List<String> COLUMNS = TripColumn.NAMES;

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
    Object[] values = new Object[f.length];
    // The required columns first, so that a line missing one says so before anything else.
    for (TripColumn c : TripColumn.ALL) {
      if (c.isRequired()) {
        values[c.ordinal()] = c.fromText(f[c.ordinal()]);
        if (values[c.ordinal()] == null) {
          throw new MalformedTripException(c.column() + " is missing");
        }
      }
    }
    for (TripColumn c : TripColumn.ALL) {
      if (!c.isRequired()) {
        values[c.ordinal()] = c.fromText(f[c.ordinal()]);
      }
    }
    return TripColumn.trip(values);
  }

  /** Formats a trip as one data line; {@code parse(format(t))} equals {@code t}. */
  public static String format(TaxiTrip t) {
    StringBuilder line = new StringBuilder(160);
    for (TripColumn c : TripColumn.ALL) {
      if (c.ordinal() > 0) {
        line.append(',');
      }
      Object v = c.valueOf(t);
      if (v != null) {
        line.append(v);
      }
    }
    return line.toString();
  }
}
