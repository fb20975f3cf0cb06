package dev.tidemark.transforms.taxi.training;

import dev.tidemark.core.training.LabeledRow;
import dev.tidemark.core.training.TipModelTrainer;
import dev.tidemark.core.training.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Trains the taxi-tips models on all labelled rows, in one place: every row goes to a single key,
 * and one DoFn call trains and evaluates with {@link TipModelTrainer} (XGBoost is not a distributed
 * trainer here; ~10k rows fit easily in one worker). The output is exactly one {@link
 * TrainedModel}. The result does not depend on the order rows arrive in: the trainer sorts them.
 */
public final class TrainTipsModel
    extends PTransform<PCollection<LabeledRow>, PCollection<TrainedModel>> {

  private static final String ALL_ROWS = "taxi-tips";

  private final TipModelTrainer.Params params;

  private TrainTipsModel(TipModelTrainer.Params params) {
    this.params = params;
  }

  /** Trains with {@code params}. */
  public static TrainTipsModel with(TipModelTrainer.Params params) {
    return new TrainTipsModel(params);
  }

  @Override
  public PCollection<TrainedModel> expand(PCollection<LabeledRow> rows) {
    return rows.apply("KeyAllRowsAlike", WithKeys.of(ALL_ROWS))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LabeledRowCoder.of()))
        .apply("GatherRows", GroupByKey.create())
        .apply("TrainAndEvaluate", ParDo.of(new TrainFn(params)))
        .setCoder(SerializableCoder.of(TrainedModel.class));
  }

  /** Trains on every row of the single group. */
  static final class TrainFn extends DoFn<KV<String, Iterable<LabeledRow>>, TrainedModel> {
    private final Counter trained = Metrics.counter(TrainTipsModel.class, "modelsTrained");
    private final TipModelTrainer.Params params;

    TrainFn(TipModelTrainer.Params params) {
      this.params = params;
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, Iterable<LabeledRow>> group, OutputReceiver<TrainedModel> out) {
      List<LabeledRow> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      out.output(TipModelTrainer.train(rows, params));
      trained.inc();
    }
  }
}
