package dev.tidemark.transforms.panes;

import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.Accumulation;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Aggregates values per key and window under a {@link WindowingPolicy} and emits the panes its
 * trigger fires, with late data captured instead of dropped.
 *
 * <p>Concepts: window (where in event time), trigger (when in processing time), accumulation (how
 * refinements relate), allowed lateness. Policies with Beam triggers run on Beam's own {@code
 * GroupByKey}, so their panes are exactly Beam's; policies with a data-driven trigger run on
 * Tidemark's trigger engine ({@link TriggerEngine}), which emits the same pane metadata. Retracting
 * accumulation adds {@link Panes#changes()} through {@link RetractPanes}. A bounded input has
 * nothing late (its watermark waits for the whole input), so it goes straight to Beam's windowed
 * combine, with combiner lifting, and its late output is empty.
 *
 * <pre>{@code
 * Panes<String, Long, Long> scores = events.apply("ScorePerTeam",
 *     ComputePanes.of(policy, Sum.ofLongs()));
 * scores.panes();   // KV<team, score> per pane
 * scores.late();    // LateElement<KV<team, points>>
 * }</pre>
 */
public final class ComputePanes<K, V, O> extends PTransform<PCollection<KV<K, V>>, Panes<K, V, O>> {

  private final WindowingPolicy policy;
  private final Combine.CombineFn<V, ?, O> combineFn;

  private ComputePanes(WindowingPolicy policy, Combine.CombineFn<V, ?, O> combineFn) {
    this.policy = policy;
    this.combineFn = combineFn;
  }

  /** Aggregates with {@code combineFn} per key and window of {@code policy}. */
  public static <K, V, O> ComputePanes<K, V, O> of(
      WindowingPolicy policy, Combine.CombineFn<V, ?, O> combineFn) {
    return new ComputePanes<>(policy, combineFn);
  }

  @Override
  public Panes<K, V, O> expand(PCollection<KV<K, V>> input) {
    PCollection<KV<K, O>> panes;
    PCollection<LateElement<KV<K, V>>> late;
    if (policy.runsOnBeamTriggers()) {
      WindowElements<K, V> window = WindowElements.of(policy);
      PCollectionTuple routed = input.apply("WindowElements", window);
      late = routed.get(window.late());
      panes =
          routed.get(window.windowed()).apply("CombinePerKeyAndWindow", Combine.perKey(combineFn));
    } else {
      PCollectionTuple fired = input.apply("RunTriggerEngine", TriggerEngine.of(policy, combineFn));
      panes = fired.get(TriggerEngine.<K, O>panesTag());
      late = fired.get(TriggerEngine.<K, V>lateTag());
    }
    PCollection<KV<K, Change<O>>> changes =
        policy.accumulation() == Accumulation.RETRACTING
            ? panes.apply("RetractPanes", RetractPanes.create())
            : null;
    return new Panes<>(input.getPipeline(), panes, changes, late);
  }
}
