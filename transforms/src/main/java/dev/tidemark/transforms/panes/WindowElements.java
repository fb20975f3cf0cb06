package dev.tidemark.transforms.panes;

import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Windows keyed elements under a {@link WindowingPolicy} and captures, instead of dropping, those
 * that arrive after their window expired: what a step uses when it does not aggregate (a windowed
 * file write, a per-window grouping), where {@link ComputePanes} is for aggregations.
 *
 * <p>Outputs, by tag: {@link #windowed()} the elements in their windows, under the policy's
 * trigger, accumulation and allowed lateness (the next {@code GroupByKey} drops nothing: every
 * expired one was routed out before); {@link #late()} the captured late elements with their window
 * and reason. A bounded input has nothing late (its watermark waits for the whole input): it is
 * windowed with Beam's own window function and its late output is empty.
 */
public final class WindowElements<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollectionTuple> {

  private final WindowingPolicy policy;
  private final TupleTag<KV<K, V>> windowed = new TupleTag<>() {};
  private final TupleTag<LateElement<KV<K, V>>> late = new TupleTag<>() {};

  private WindowElements(WindowingPolicy policy) {
    this.policy = policy;
  }

  /** Windows by {@code policy}, which must run on Beam's triggers (no data-driven trigger). */
  public static <K, V> WindowElements<K, V> of(WindowingPolicy policy) {
    if (!policy.runsOnBeamTriggers()) {
      throw new IllegalArgumentException(
          "a data-driven trigger fires on aggregations only (ComputePanes): " + policy.trigger());
    }
    return new WindowElements<>(policy);
  }

  /** Tag of the elements in their windows. */
  public TupleTag<KV<K, V>> windowed() {
    return windowed;
  }

  /** Tag of the captured late elements. */
  public TupleTag<LateElement<KV<K, V>>> late() {
    return late;
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollectionTuple expand(PCollection<KV<K, V>> input) {
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      // A bounded input's watermark stays behind every element until the whole input is read
      // (batch semantics), so no element can be late: nothing to capture, and a combine after
      // this keeps Beam's combiner lifting with nothing in front of it.
      PCollection<LateElement<KV<K, V>>> none =
          input
              .getPipeline()
              .apply("NoLateDataInBoundedInput", Create.empty(LateElement.coder(coder)));
      return PCollectionTuple.of(
              windowed, input.apply("ApplyWindowingPolicy", policy.<KV<K, V>>toWindow()))
          .and(late, none);
    }
    WindowFn<KV<K, V>, ? extends BoundedWindow> windowFn = policy.window().toWindowFn();
    CaptureLateData<K, V> capture =
        CaptureLateData.<K, V>into(windowFn).withAllowedLateness(policy.allowedLateness());
    PCollectionTuple routed = input.apply("CaptureLateData", capture);
    PCollection<KV<K, V>> inWindows =
        routed
            .get(capture.onTime())
            .apply(
                "ApplyWindowingPolicy", policy.<KV<K, V>>toWindow(PreassignedWindows.of(windowFn)));
    return PCollectionTuple.of(windowed, inWindows).and(late, routed.get(capture.late()));
  }
}
