package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.trip.TaxiTrip;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The "analyze" step: learns the {@link FeatureSpec} (vocabularies, training ranges) from the
 * training split of clean trips, as a singleton side input for {@link ExtractFeatures} and {@link
 * ExportModel}. Eval trips are left out so that the eval split stays unseen.
 */
public final class AnalyzeFeatures
    extends PTransform<PCollection<TaxiTrip>, PCollectionView<FeatureSpec>> {

  @Override
  public PCollectionView<FeatureSpec> expand(PCollection<TaxiTrip> trips) {
    return trips
        .apply("KeepTrainingSplit", Filter.by(new IsTrainingTripFn()))
        .apply("LearnFeatureSpec", Combine.globally(new AnalyzeFn()).asSingletonView());
  }

  /** Whether a trip is in the training split. */
  static final class IsTrainingTripFn implements SerializableFunction<TaxiTrip, Boolean> {
    @Override
    public Boolean apply(TaxiTrip trip) {
      return !TripSplit.isEval(trip);
    }
  }

  /** Accumulates a {@link FeatureAnalyzer}; the output is its spec. */
  static final class AnalyzeFn extends Combine.CombineFn<TaxiTrip, FeatureAnalyzer, FeatureSpec> {
    @Override
    public FeatureAnalyzer createAccumulator() {
      return new FeatureAnalyzer();
    }

    @Override
    public FeatureAnalyzer addInput(FeatureAnalyzer acc, TaxiTrip trip) {
      return acc.add(trip);
    }

    @Override
    public FeatureAnalyzer mergeAccumulators(Iterable<FeatureAnalyzer> accumulators) {
      FeatureAnalyzer merged = new FeatureAnalyzer();
      for (FeatureAnalyzer a : accumulators) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public FeatureSpec extractOutput(FeatureAnalyzer acc) {
      return acc.spec();
    }

    @Override
    public Coder<FeatureAnalyzer> getAccumulatorCoder(
        CoderRegistry registry, Coder<TaxiTrip> inputCoder) throws CannotProvideCoderException {
      return SerializableCoder.of(FeatureAnalyzer.class);
    }

    @Override
    public Coder<FeatureSpec> getDefaultOutputCoder(
        CoderRegistry registry, Coder<TaxiTrip> inputCoder) throws CannotProvideCoderException {
      return FeatureSpecCoder.INSTANCE;
    }
  }

  /**
   * A feature spec as its JSON document ({@code feature_spec.json}): one definition, one format.
   */
  static final class FeatureSpecCoder extends org.apache.beam.sdk.coders.AtomicCoder<FeatureSpec> {
    static final FeatureSpecCoder INSTANCE = new FeatureSpecCoder();

    @Override
    public void encode(FeatureSpec spec, java.io.OutputStream out) throws java.io.IOException {
      org.apache.beam.sdk.coders.StringUtf8Coder.of().encode(spec.toJson(), out);
    }

    @Override
    public FeatureSpec decode(java.io.InputStream in) throws java.io.IOException {
      return FeatureSpec.fromJson(org.apache.beam.sdk.coders.StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
