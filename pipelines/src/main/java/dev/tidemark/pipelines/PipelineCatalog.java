package dev.tidemark.pipelines;

import dev.tidemark.pipelines.inference.PredictTips;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The pipelines that {@code bin/tidemark run} knows, by name. Each entry runs the pipeline's own
 * {@code main}-style entry point with the pipeline options given on the command line.
 */
public final class PipelineCatalog {

  /**
   * One registered pipeline.
   *
   * @param name the name used on the command line, e.g. {@code trips-per-area-hour}
   * @param summary one line saying what it computes
   * @param optionsType its options interface, for {@code --help}
   * @param entryPoint runs it with the given arguments and waits until it finishes
   */
  public record Entry(
      String name,
      String summary,
      Class<? extends org.apache.beam.sdk.options.PipelineOptions> optionsType,
      Consumer<String[]> entryPoint) {}

  private static final List<Entry> ENTRIES =
      List.of(
          new Entry(
              "trips-per-area-hour",
              "Trip count and fare sum per pickup community area per event-time hour (taxi sample).",
              TripsPerAreaHour.Options.class,
              TripsPerAreaHour::main),
          new Entry(
              "train-taxi-tips",
              "Train the taxi-tips XGBoost classifier and publish it to the model store.",
              TrainTaxiTips.Options.class,
              TrainTaxiTips::main),
          new Entry(
              "retention",
              "One retention action per cart dropped while logged in and not checked out"
                  + " within --within (session events as JSON lines).",
              Retention.Options.class,
              Retention::main),
          new Entry(
              "kafka-trips-per-area-hour",
              "The same totals from trip events on Kafka (replay the log or --follow it), to a"
                  + " versioned topic.",
              KafkaTripsPerAreaHour.Options.class,
              KafkaTripsPerAreaHour::main),
          new Entry(
              "archive-trip-events",
              "Archive trip events from Kafka to the lake (s3://lake/trips/event_date=...).",
              ArchiveTripEvents.Options.class,
              ArchiveTripEvents::main),
          new Entry(
              "batch-trips-per-area-hour",
              "Lambda batch layer: the per-area, per-hour totals recomputed from the archive.",
              BatchTripsPerAreaHour.Options.class,
              BatchTripsPerAreaHour::main),
          new Entry(
              "predict-tips",
              "Streaming taxi-tips predictions from trip events on Kafka (in-process XGBoost,"
                  + " batched, hot-swapped), with 5-minute monitoring records.",
              PredictTips.Options.class,
              PredictTips::main));

  private PipelineCatalog() {}

  /** All registered pipelines, in display order. */
  public static List<Entry> entries() {
    return ENTRIES;
  }

  /** The pipeline registered under {@code name}, if any. */
  public static Optional<Entry> find(String name) {
    return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
