package dev.tidemark.runners.lambda;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The serving layer's view of the per-area, per-hour totals: the batch view wins for closed periods
 * (hours that start before {@code batchUntil}, which the batch layer recomputed from the complete
 * archive, late events included), the speed view fills the open ones (hours from {@code batchUntil}
 * on, which only the stream has seen yet). Keys are {@code <area>|<hour start>}.
 */
public final class ServingView {

  /**
   * The merged view and where each entry came from.
   *
   * @param view key → CSV line
   * @param fromBatch entries taken from the batch view
   * @param fromSpeed entries taken from the speed view
   * @param speedOverridden speed entries of closed periods that the batch view replaced or removed
   */
  public record Merged(
      Map<String, String> view, long fromBatch, long fromSpeed, long speedOverridden) {}

  private ServingView() {}

  /** Merges the two views around {@code batchUntil}. */
  public static Merged reconcile(
      Map<String, String> batch, Map<String, String> speed, Instant batchUntil) {
    Map<String, String> view = new TreeMap<>();
    long fromBatch = 0;
    long fromSpeed = 0;
    long overridden = 0;
    for (Map.Entry<String, String> e : batch.entrySet()) {
      if (hourStart(e.getKey()).isBefore(batchUntil)) {
        view.put(e.getKey(), e.getValue());
        fromBatch++;
      }
    }
    for (Map.Entry<String, String> e : speed.entrySet()) {
      if (hourStart(e.getKey()).isBefore(batchUntil)) {
        if (!e.getValue().equals(batch.get(e.getKey()))) {
          overridden++;
        }
      } else {
        view.put(e.getKey(), e.getValue());
        fromSpeed++;
      }
    }
    return new Merged(view, fromBatch, fromSpeed, overridden);
  }

  private static Instant hourStart(String key) {
    return Instant.parse(key.substring(key.indexOf('|') + 1));
  }
}
