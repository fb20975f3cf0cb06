package dev.tidemark.pipelines.sinks;

import dev.tidemark.pipelines.kafka.WriteKeyedStrings;
import dev.tidemark.transforms.taxi.AreaHourTotal;
import dev.tidemark.transforms.taxi.CountTripsPerAreaHour;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes what {@link CountTripsPerAreaHour} computes: the totals and, beside them, the trips it
 * captured as too late ({@link WriteLateData}). To CSV files {@code <prefix>-*.csv} (header {@link
 * AreaHourTotal#CSV_HEADER}) with the late trips in {@code <prefix>-late-*.jsonl} ({@link
 * #toFiles}), or to a topic keyed {@code <area>|<hour start>} (what the canary and the Lambda view
 * compare by) with the late trips in {@code <topic>-late} ({@link #toTopic}).
 */
public abstract class WriteAreaHourTotals extends PTransform<PCollectionTuple, PDone> {

  private static final String STEP = "CountTripsPerAreaHour";

  private WriteAreaHourTotals() {}

  /** CSV totals at {@code prefix}, late trips beside them. */
  public static WriteAreaHourTotals toFiles(String prefix) {
    return new ToFiles(prefix);
  }

  /** Keyed totals on {@code topic}, late trips on {@code <topic>-late}. */
  public static WriteAreaHourTotals toTopic(String bootstrapServers, String topic) {
    return new ToTopic(bootstrapServers, topic);
  }

  private static final class ToFiles extends WriteAreaHourTotals {
    private final String prefix;

    ToFiles(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public PDone expand(PCollectionTuple counted) {
      counted
          .get(CountTripsPerAreaHour.LATE)
          .apply(
              "WriteLateTrips",
              WriteLateData.toFiles(prefix, STEP, CountTripsPerAreaHour.lateTripJson()));
      return counted
          .get(CountTripsPerAreaHour.TOTALS)
          .apply("FormatTotals", MapElements.via(new ToCsvFn()))
          .apply(
              "WriteTotals",
              TextIO.write()
                  .to(prefix)
                  .withSuffix(".csv")
                  .withHeader(AreaHourTotal.CSV_HEADER)
                  .withNumShards(1));
    }
  }

  private static final class ToTopic extends WriteAreaHourTotals {
    private final String bootstrapServers;
    private final String topic;

    ToTopic(String bootstrapServers, String topic) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }

    @Override
    public PDone expand(PCollectionTuple counted) {
      counted
          .get(CountTripsPerAreaHour.LATE)
          .apply(
              "WriteLateTrips",
              WriteLateData.toTopic(
                  bootstrapServers, topic, STEP, CountTripsPerAreaHour.lateTripJson()));
      return counted
          .get(CountTripsPerAreaHour.TOTALS)
          .apply("ToKeyedTotal", MapElements.via(new ToKeyedTotalFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("WriteTotals", WriteKeyedStrings.to(bootstrapServers, topic));
    }
  }

  /** One CSV line per area and hour. */
  static final class ToCsvFn extends SimpleFunction<AreaHourTotal, String> {
    @Override
    public String apply(AreaHourTotal total) {
      return total.toCsv();
    }
  }

  /** Key {@code <area>|<hour start>} (what the canary compares by), value the CSV line. */
  static final class ToKeyedTotalFn extends SimpleFunction<AreaHourTotal, KV<String, String>> {
    @Override
    public KV<String, String> apply(AreaHourTotal t) {
      return KV.of(t.pickupArea() + "|" + t.hourStart(), t.toCsv());
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }
}
