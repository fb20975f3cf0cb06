package dev.tidemark.pipelines.lake;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.panes.WindowElements;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Archives trips as JSON lines under {@code <root>/event_date=YYYY-MM-DD/} (UTC), one directory per
 * event date: the raw input of the Lambda architecture's batch layer.
 *
 * <p>Windows: one day of event time ({@link #POLICY}, on Tidemark's windowing library), closed when
 * the watermark passes the end of the day; late trips within {@link #ALLOWED_LATENESS} still land
 * in their date's directory as an extra file (one per late pane), because the archive must keep
 * everything the batch layer recomputes from. Trips later than that are captured, never dropped:
 * {@link #LATE} carries them (as their JSON lines) with their day and the reason.
 *
 * <p>Outputs, by tag: {@link #WRITTEN} the names of the files written; {@link #LATE} the captured
 * late trips.
 */
public final class ArchiveByEventDate extends PTransform<PCollection<TaxiTrip>, PCollectionTuple> {

  /** The files written, one name per file. */
  public static final TupleTag<String> WRITTEN = new TupleTag<String>() {};

  /** Trips too late for their day, as (event date, JSON line), with the reason. */
  public static final TupleTag<LateElement<KV<String, String>>> LATE =
      new TupleTag<LateElement<KV<String, String>>>() {};

  /** How long after its end a day still accepts late trips. */
  public static final Duration ALLOWED_LATENESS = Duration.standardDays(7);

  private static final Duration DAY = Duration.standardDays(1);

  /**
   * One day of event time, Beam's default trigger (on time, then once per late trip), discarding
   * (each late pane is a file of its own), seven days of allowed lateness.
   */
  public static final WindowingPolicy POLICY =
      WindowingPolicy.of(WindowSpec.fixed(DAY)).withAllowedLateness(ALLOWED_LATENESS);

  private final String root;

  /** Archives under {@code root}, e.g. {@code s3://lake/trips}. */
  public ArchiveByEventDate(String root) {
    this.root = root;
  }

  @Override
  public PCollectionTuple expand(PCollection<TaxiTrip> trips) {
    WindowElements<String, String> windowByDay = WindowElements.of(POLICY);
    PCollectionTuple days =
        trips
            .apply("KeyJsonLineByEventDate", MapElements.via(new KeyByEventDateFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("WindowByEventDay", windowByDay);
    WriteFilesResult<String> written =
        days.get(windowByDay.windowed())
            .apply("JsonLines", Values.create())
            .apply(
                "WriteEventDatePartitions",
                FileIO.<String, String>writeDynamic()
                    .by(new EventDateFn())
                    .withDestinationCoder(StringUtf8Coder.of())
                    .via(TextIO.sink())
                    .to(root)
                    .withNaming(new PartitionNamingFn())
                    .withNumShards(1));
    return PCollectionTuple.of(
            WRITTEN,
            written
                .getPerDestinationOutputFilenames()
                .apply("FileNames", Values.create())
                .setCoder(StringUtf8Coder.of()))
        .and(LATE, days.get(windowByDay.late()));
  }

  /** The JSON of a captured late trip: its JSON line. */
  public static SerializableFunction<KV<String, String>, String> lateTripJson() {
    return new LineOfLateTripFn();
  }

  /** The JSON line of a late (event date, line) pair. */
  static final class LineOfLateTripFn implements SerializableFunction<KV<String, String>, String> {
    @Override
    public String apply(KV<String, String> dateAndLine) {
      return dateAndLine.getValue();
    }
  }

  /** A trip as (its UTC event date, its JSON line). */
  static final class KeyByEventDateFn extends SimpleFunction<TaxiTrip, KV<String, String>> {
    @Override
    public KV<String, String> apply(TaxiTrip trip) {
      String json = new String(TaxiTripJson.toJson(trip), StandardCharsets.UTF_8);
      return KV.of(new EventDateFn().apply(json), json);
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
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
