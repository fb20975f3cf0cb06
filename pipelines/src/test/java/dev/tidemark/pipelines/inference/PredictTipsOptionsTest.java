package dev.tidemark.pipelines.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.pipelines.PipelineCatalog;
import dev.tidemark.transforms.inference.remote.RemoteScorer;
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
    assertThat(o.getInference(), equalTo("in-process"));
    assertThat(o.getServerUrl(), equalTo("http://127.0.0.1:8080"));
    assertThat(o.getRemoteTimeoutMs(), equalTo(5000L));
    assertThat(o.getRemoteRetries(), equalTo(3));
    assertThat(o.getEvaluator(), equalTo("compiled"));
  }

  /** A base server URL becomes the model's V2 infer URL; a full infer URL is kept as it is. */
  @Test
  public void theServerUrlBecomesTheModelsInferUrl() {
    assertThat(
        PredictTips.inferUrl("http://127.0.0.1:8080/", "taxi-tips"),
        equalTo("http://127.0.0.1:8080/v2/models/taxi-tips/infer"));
    assertThat(
        PredictTips.inferUrl("http://srv:80/v2/models/tip-shadow/versions/7/infer", "taxi-tips"),
        equalTo("http://srv:80/v2/models/tip-shadow/versions/7/infer"));
  }

  /** {@code --inference=remote} builds; an unknown mode is refused with the two valid ones. */
  @Test
  public void remoteInferenceIsAnOptionAndUnknownModesAreRefused() {
    PredictTips.Options o =
        PipelineOptionsFactory.fromArgs("--inference=remote", "--serverUrl=http://127.0.0.1:9")
            .as(PredictTips.Options.class);
    RemoteScorer.Settings remote = (RemoteScorer.Settings) PredictTips.scorer(o);
    assertThat(remote.inferUrl(), equalTo("http://127.0.0.1:9/v2/models/taxi-tips/infer"));
    assertThat(remote.timeout(), equalTo(java.time.Duration.ofMillis(5000)));
    assertThat(remote.retries().maxAttempts(), equalTo(3));
    o.setInference("grpc");
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(IllegalArgumentException.class, () -> PredictTips.scorer(o));
    assertThat(e.getMessage(), equalTo("--inference must be in-process or remote, not grpc"));
  }

  /** {@code bin/tidemark run predict-tips} finds the pipeline and its options. */
  @Test
  public void theCatalogListsPredictTips() {
    assertThat(
        PipelineCatalog.find("predict-tips").orElseThrow().optionsType(),
        equalTo(PredictTips.Options.class));
  }
}
