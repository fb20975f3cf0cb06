package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.trip.TaxiTrip;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Turns clean trips into labelled feature rows with {@link TaxiFeatures}: the Beam wrapper of the
 * one feature implementation. The spec comes either from a side input (the one {@link
 * AnalyzeFeatures} learned in the same run) or is fixed (e.g. reloaded from a model's {@code
 * feature_spec.json}).
 */
public final class ExtractFeatures
    extends PTransform<PCollection<TaxiTrip>, PCollection<LabeledRow>> {

  private final PCollectionView<FeatureSpec> specView;
  private final FeatureSpec fixedSpec;

  private ExtractFeatures(PCollectionView<FeatureSpec> specView, FeatureSpec fixedSpec) {
    this.specView = specView;
    this.fixedSpec = fixedSpec;
  }

  /** Features laid out by the spec in {@code specView}. */
  public static ExtractFeatures withSpec(PCollectionView<FeatureSpec> specView) {
    return new ExtractFeatures(specView, null);
  }

  /** Features laid out by a fixed {@code spec}. */
  public static ExtractFeatures withSpec(FeatureSpec spec) {
    return new ExtractFeatures(null, spec);
  }

  @Override
  public PCollection<LabeledRow> expand(PCollection<TaxiTrip> trips) {
    ParDo.SingleOutput<TaxiTrip, LabeledRow> parDo =
        ParDo.of(new ExtractFeaturesFn(specView, fixedSpec));
    if (specView != null) {
      parDo = parDo.withSideInputs(specView);
    }
    return trips.apply("ToLabeledRow", parDo).setCoder(LabeledRowCoder.of());
  }

  /** One labelled row per trip. */
  static final class ExtractFeaturesFn extends DoFn<TaxiTrip, LabeledRow> {
    private final Counter rows = Metrics.counter(ExtractFeatures.class, "featureRows");
    private final PCollectionView<FeatureSpec> specView;
    private final FeatureSpec fixedSpec;
    private transient TaxiFeatures features;

    ExtractFeaturesFn(PCollectionView<FeatureSpec> specView, FeatureSpec fixedSpec) {
      this.specView = specView;
      this.fixedSpec = fixedSpec;
    }

    @ProcessElement
    public void processElement(ProcessContext c) {
      FeatureSpec spec = specView == null ? fixedSpec : c.sideInput(specView);
      if (features == null || (features.spec() != spec && !features.spec().equals(spec))) {
        features = new TaxiFeatures(spec);
      }
      c.output(LabeledRow.of(c.element(), features));
      rows.inc();
    }
  }
}
