package dev.tidemark.pipelines.lake;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Archives trips as JSON lines under {@code <root>/event_date=YYYY-MM-DD/} (UTC), one directory per
 * event date: the raw input of the Lambda architecture's batch layer.
 *
 * <p>Windows: one day of event time, closed when the watermark passes the end of the day; late
 * trips within {@link #ALLOWED_LATENESS} still land in their date's directory as an extra file (one
 * per late pane), because the archive must keep everything the batch layer recomputes from.
 */
public final class ArchiveByEventDate
    extends PTransform<PCollection<TaxiTrip>, WriteFilesResult<String>> {

  /** How long after its end a day still accepts late trips. */
  public static final Duration ALLOWED_LATENESS = Duration.standardDays(7);

  private static final Duration DAY = Duration.standardDays(1);

  private final String root;

  /** Archives under {@code root}, e.g. {@code s3://lake/trips}. */
  public ArchiveByEventDate(String root) {
    this.root = root;
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<TaxiTrip> trips) {
    return trips
        .apply("ToJsonLine", MapElements.via(new ToJsonLineFn()))
        .apply(
            "WindowByEventDay",
            Window.<String>into(FixedWindows.of(DAY))
                .withAllowedLateness(ALLOWED_LATENESS)
                .discardingFiredPanes())
        .apply(
            "WriteEventDatePartitions",
            FileIO.<String, String>writeDynamic()
                .by(new EventDateFn())
                .withDestinationCoder(StringUtf8Coder.of())
                .via(TextIO.sink())
                .to(root)
                .withNaming(new PartitionNamingFn())
                .withNumShards(1));
  }

  /** A trip as one line of JSON. */
  static final class ToJsonLineFn extends SimpleFunction<TaxiTrip, String> {
    @Override
    public String apply(TaxiTrip trip) {
      return new String(TaxiTripJson.toJson(trip), StandardCharsets.UTF_8);
    }
  }

  /** The UTC date of a trip's start, from its JSON line. */
  static final class EventDateFn implements SerializableFunction<String, String> {
    @Override
    public String apply(String json) {
      long start = TaxiTripJson.tripStartSeconds(json.getBytes(StandardCharsets.UTF_8)).getAsLong();
      return Instant.ofEpochSecond(start).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
  }

  /** {@code event_date=<date>/trips-<window>-<pane>-<shard>.jsonl}. */
  static final class PartitionNamingFn
      implements SerializableFunction<String, FileIO.Write.FileNaming> {
    @Override
    public FileIO.Write.FileNaming apply(String date) {
      return FileIO.Write.defaultNaming("event_date=" + date + "/trips", ".jsonl");
    }
  }
}
