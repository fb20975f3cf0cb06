package dev.tidemark.core.features;

import dev.tidemark.core.trip.TaxiTrip;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns what the standard {@link FeatureSpec} needs from the training split (the "analyze" phase
 * of TFX Transform): the vocabulary of each categorical column and the range of each numeric
 * column. Mergeable, so that a Beam {@code CombineFn} can run it in parallel; the result does not
 * depend on the order in which trips are added or partial results merged.
 *
 * <p>Vocabulary rule: terms seen at least {@link #MIN_TERM_COUNT} times, the {@link
 * #MAX_VOCABULARY_SIZE} most frequent, ordered by descending count then by term. Rarer terms fall
 * into the column's out-of-vocabulary slot.
 */
public final class FeatureAnalyzer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A term needs this many training trips to get its own slot. */
  public static final int MIN_TERM_COUNT = 10;

  /** At most this many terms per categorical column. */
  public static final int MAX_VOCABULARY_SIZE = 20;

  private final Map<String, Map<String, Long>> termCounts = new TreeMap<>();
  private final Map<String, double[]> ranges = new TreeMap<>();
  private long trips;

  /** Adds one training trip. */
  public FeatureAnalyzer add(TaxiTrip trip) {
    trips++;
    for (String column : TaxiFeatures.CATEGORICAL_COLUMNS) {
      String term = text(trip, column);
      if (term != null) {
        termCounts.computeIfAbsent(column, c -> new HashMap<>()).merge(term, 1L, Long::sum);
      }
    }
    for (String column : TaxiFeatures.NUMERIC_COLUMNS) {
      Double v = number(trip, column);
      if (v != null) {
        double[] r = ranges.computeIfAbsent(column, c -> new double[] {v, v});
        r[0] = Math.min(r[0], v);
        r[1] = Math.max(r[1], v);
      }
    }
    return this;
  }

  /** Adds everything {@code other} has seen. */
  public FeatureAnalyzer merge(FeatureAnalyzer other) {
    trips += other.trips;
    other.termCounts.forEach(
        (column, counts) ->
            counts.forEach(
                (term, n) ->
                    termCounts
                        .computeIfAbsent(column, c -> new HashMap<>())
                        .merge(term, n, Long::sum)));
    other.ranges.forEach(
        (column, r) ->
            ranges.merge(
                column,
                r.clone(),
                (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
    return this;
  }

  /** How many trips were added. */
  public long trips() {
    return trips;
  }

  /** The vocabulary learned for {@code column} (see the class comment for the rule). */
  public List<String> vocabulary(String column) {
    List<Map.Entry<String, Long>> entries =
        new ArrayList<>(termCounts.getOrDefault(column, Map.of()).entrySet());
    entries.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    return entries.stream()
        .filter(e -> e.getValue() >= MIN_TERM_COUNT)
        .limit(MAX_VOCABULARY_SIZE)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The standard feature spec with the learned vocabularies and training ranges. */
  public FeatureSpec spec() {
    Map<String, List<String>> vocabularies = new TreeMap<>();
    for (String column : TaxiFeatures.CATEGORICAL_COLUMNS) {
      vocabularies.put(column, vocabulary(column));
    }
    return TaxiFeatures.standardSpec(vocabularies, ranges);
  }

  /** Equal when the same trips were seen: same count, term counts and ranges. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FeatureAnalyzer other)
        || trips != other.trips
        || !termCounts.equals(other.termCounts)
        || !ranges.keySet().equals(other.ranges.keySet())) {
      return false;
    }
    return ranges.entrySet().stream()
        .allMatch(e -> java.util.Arrays.equals(e.getValue(), other.ranges.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(trips, termCounts, ranges.keySet());
  }

  private static String text(TaxiTrip t, String column) {
    return TaxiFeatures.textColumn(t, column);
  }

  private static Double number(TaxiTrip t, String column) {
    return TaxiFeatures.numberColumn(t, column);
  }
}
