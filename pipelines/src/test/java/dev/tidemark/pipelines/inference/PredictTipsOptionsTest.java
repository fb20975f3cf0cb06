package dev.tidemark.pipelines.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.pipelines.PipelineCatalog;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** The options of {@link PredictTips}: defaults, and the catalog entry of {@code predict-tips}. */
public class PredictTipsOptionsTest {

  /** Defaults: the local model store and topic names the demo uses. */
  @Test
  public void defaultsNameTheModelStoreAndTopics() {
    PredictTips.Options o = PipelineOptionsFactory.as(PredictTips.Options.class);
    assertThat(o.getModelStore(), equalTo("s3://models"));
    assertThat(o.getModelName(), equalTo("taxi-tips"));
    assertThat(o.getPredictionsTopic(), equalTo("tip-predictions"));
    assertThat(o.getMonitoringTopic(), equalTo("tip-monitoring"));
    assertThat(o.getMaxBatchSize(), equalTo(1024));
    assertThat(o.getModelPollSeconds(), equalTo(10L));
    assertThat(o.getPsiThreshold(), equalTo(0.2));
    assertThat(o.getFollow(), equalTo(false));
  }

  /** {@code bin/tidemark run predict-tips} finds the pipeline and its options. */
  @Test
  public void theCatalogListsPredictTips() {
    assertThat(
        PipelineCatalog.find("predict-tips").orElseThrow().optionsType(),
        equalTo(PredictTips.Options.class));
  }
}
