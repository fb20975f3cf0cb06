package dev.tidemark.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.pipelines.inference.PredictTips;
import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * No element of a shipped pipeline is encoded with Java serialization: every PCollection of every
 * registered pipeline (its coder and the coders inside it) has an explicit coder, compact and
 * deterministic where it is a key. (Beam's Read wrapper encodes the splits of a source, not
 * elements, with Java serialization: that is Beam's, and allowed; so is the one trained model a
 * training run emits.) The playground ({@code play}) is left out on purpose: it runs scenario-sized
 * streams on DirectRunner only, and its values are free-form.
 */
public class NoJavaSerializationTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static String store;

  @BeforeClass
  public static void publishAModel() throws IOException {
    store = TMP.newFolder("models").getAbsolutePath();
    TipModels.publish(store, "20261204T000000Z", TipModels.train(TipModels.trips(300), 10));
  }

  @Test
  public void tripsPerAreaHour() {
    check(
        TripsPerAreaHour.Options.class,
        TripsPerAreaHour::buildPipeline,
        "--input=" + SampleData.taxiTrips(),
        "--output=" + out("totals"));
  }

  @Test
  public void batchTripsPerAreaHour() {
    check(
        BatchTripsPerAreaHour.Options.class,
        BatchTripsPerAreaHour::buildPipeline,
        "--input=" + out("archive") + "/*.jsonl",
        "--output=" + out("batch"));
  }

  @Test
  public void trainTaxiTips() {
    check(
        TrainTaxiTips.Options.class,
        TrainTaxiTips::buildPipeline,
        "--input=" + SampleData.taxiTrips(),
        "--output=" + out("train"),
        "--modelVersion=20261204T000000Z");
  }

  @Test
  public void retention() {
    check(Retention.Options.class, Retention::buildPipeline, "--input=" + out("events.jsonl"));
  }

  @Test
  public void kafkaTripsPerAreaHour() {
    check(
        KafkaTripsPerAreaHour.Options.class,
        KafkaTripsPerAreaHour::buildPipeline,
        "--bootstrapServers=127.0.0.1:9",
        "--follow=true",
        "--allowedLateness=1h");
  }

  @Test
  public void archiveTripEvents() {
    check(
        ArchiveTripEvents.Options.class,
        ArchiveTripEvents::buildPipeline,
        "--bootstrapServers=127.0.0.1:9",
        "--follow=true",
        "--archive=" + out("lake"));
  }

  @Test
  public void predictTipsWithAGraph() {
    check(
        PredictTips.Options.class,
        PredictTips::buildPipeline,
        "--bootstrapServers=127.0.0.1:9",
        "--follow=true",
        "--modelStore=" + store,
        "--graph=" + Path.of("..", "docs", "graphs", "champion-challenger-shadow.yaml"));
  }

  private static String out(String name) {
    return TMP.getRoot().toPath().resolve(name).toString();
  }

  private static <T extends PipelineOptions> void check(
      Class<T> type, BiConsumer<Pipeline, T> build, String... args) {
    T options = PipelineOptionsFactory.fromArgs(args).as(type);
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, options);
    List<String> javaSerialized = new ArrayList<>();
    int[] collections = {0};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> pc) {
              collections[0]++;
              if (usesJavaSerialization(pc.getCoder())) {
                javaSerialized.add(pc.getName() + ": " + pc.getCoder());
              }
            }
          }
        });
    assertThat(collections[0], greaterThan(3));
    assertThat(javaSerialized, empty());
  }

  private static boolean usesJavaSerialization(Coder<?> coder) {
    if (coder instanceof SerializableCoder<?> java) {
      // Beam's own Read wrapper carries the source's splits (not elements) this way; training
      // emits one TrainedModel per run (model bytes, parameters, metrics), not a stream.
      return !org.apache.beam.sdk.io.Source.class.isAssignableFrom(java.getRecordType())
          && !java.getRecordType().getName().equals("dev.tidemark.core.training.TrainedModel");
    }
    List<? extends Coder<?>> parts =
        coder instanceof StructuredCoder<?> s ? s.getComponents() : coder.getCoderArguments();
    for (Coder<?> c : parts) {
      if (c != null && usesJavaSerialization(c)) {
        return true;
      }
    }
    return false;
  }
}
