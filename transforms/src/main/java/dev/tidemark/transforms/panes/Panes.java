package dev.tidemark.transforms.panes;

import dev.tidemark.transforms.late.LateElement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What {@link ComputePanes} emits: the panes per key and window (with Beam's pane metadata), the
 * change stream when the accumulation is retracting, and the late elements it captured.
 */
public final class Panes<K, V, O> implements POutput {
  private final Pipeline pipeline;
  private final PCollection<KV<K, O>> panes;
  private final PCollection<KV<K, Change<O>>> changes;
  private final PCollection<LateElement<KV<K, V>>> late;

  Panes(
      Pipeline pipeline,
      PCollection<KV<K, O>> panes,
      PCollection<KV<K, Change<O>>> changes,
      PCollection<LateElement<KV<K, V>>> late) {
    this.pipeline = pipeline;
    this.panes = panes;
    this.changes = changes;
    this.late = late;
  }

  /**
   * One element per pane: the aggregate of the key in the window, per the accumulation mode
   * (discarding: since the previous pane; accumulating and retracting: everything so far).
   */
  public PCollection<KV<K, O>> panes() {
    return panes;
  }

  /**
   * The change stream of a retracting aggregation: each pane's new value and the retraction of the
   * value it supersedes.
   *
   * @throws IllegalStateException when the accumulation is not retracting
   */
  public PCollection<KV<K, Change<O>>> changes() {
    if (changes == null) {
      throw new IllegalStateException("changes() exists only with retracting accumulation");
    }
    return changes;
  }

  /** Elements that arrived after their window expired: captured, never silently dropped. */
  public PCollection<LateElement<KV<K, V>>> late() {
    return late;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> out = new LinkedHashMap<>();
    out.put(new TupleTag<>("panes"), panes);
    if (changes != null) {
      out.put(new TupleTag<>("changes"), changes);
    }
    out.put(new TupleTag<>("late"), late);
    return out;
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}
