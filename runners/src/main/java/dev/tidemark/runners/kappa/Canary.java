package dev.tidemark.runners.kappa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares the outputs of two versions of a pipeline, keyed by (key, window) — for the per-area
 * totals {@code <area>|<hour start>} — before the new version replaces the old one: the "soft
 * activation" of a new version in the Kappa architecture.
 */
public final class Canary {

  /**
   * One key whose values differ, or that only one side has (the other value is then null).
   *
   * @param key the (key, window) compared
   * @param baseline the baseline's value, or null
   * @param candidate the candidate's value, or null
   */
  public record Difference(String key, String baseline, String candidate) {}

  /**
   * The comparison.
   *
   * @param matches keys with equal values on both sides
   * @param different keys present on both sides with different values
   * @param onlyInBaseline keys only the baseline has
   * @param onlyInCandidate keys only the candidate has
   */
  public record Report(
      long matches,
      List<Difference> different,
      List<Difference> onlyInBaseline,
      List<Difference> onlyInCandidate) {

    /** Whether the two outputs are identical. */
    public boolean identical() {
      return different.isEmpty() && onlyInBaseline.isEmpty() && onlyInCandidate.isEmpty();
    }
  }

  private Canary() {}

  /** Compares two views (key → latest value), in key order. */
  public static Report compare(Map<String, String> baseline, Map<String, String> candidate) {
    TreeSet<String> keys = new TreeSet<>(baseline.keySet());
    keys.addAll(candidate.keySet());
    long matches = 0;
    List<Difference> different = new ArrayList<>();
    List<Difference> onlyBaseline = new ArrayList<>();
    List<Difference> onlyCandidate = new ArrayList<>();
    for (String k : keys) {
      String a = baseline.get(k);
      String b = candidate.get(k);
      if (a == null) {
        onlyCandidate.add(new Difference(k, null, b));
      } else if (b == null) {
        onlyBaseline.add(new Difference(k, a, null));
      } else if (Objects.equals(a, b)) {
        matches++;
      } else {
        different.add(new Difference(k, a, b));
      }
    }
    return new Report(matches, different, onlyBaseline, onlyCandidate);
  }
}
