package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.reject.Reject;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/** Counts rejected lines per rule name (only rules that rejected something appear). */
public final class CountRejectsPerRule
    extends PTransform<PCollection<Reject>, PCollection<KV<String, Long>>> {

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<Reject> rejects) {
    return rejects
        .apply("RuleOfReject", MapElements.via(new RuleNameFn()))
        .apply("CountPerRule", Count.perElement());
  }

  /** The name of the rule a line broke: the source of a preprocessing reject. */
  static final class RuleNameFn extends SimpleFunction<Reject, String> {
    @Override
    public String apply(Reject reject) {
      return reject.source();
    }
  }
}
