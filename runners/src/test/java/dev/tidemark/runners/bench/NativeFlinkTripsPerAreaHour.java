package dev.tidemark.runners.bench;

import dev.tidemark.core.trip.MalformedTripException;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripCsv;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.time.Time;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Benchmark code, not part of Tidemark: the trips-per-area-hour aggregation written directly on
 * Flink 1.19's DataStream API, the yardstick of {@link FlinkComparisonBenchmark}. It does what
 * {@code TripsPerAreaHour} does on the FlinkRunner — read the CSV, parse each line with the same
 * domain parser ({@link TaxiTripCsv}, plain Java), event time = trip start, tumbling event-time
 * hours, trip count and fare sum in cents per pickup area — in batch execution mode on an embedded
 * local cluster, and writes the totals in the same CSV format ({@code
 * pickup_area,hour_start,trips,fare_sum}, one header line), so that both outputs compare line for
 * line once sorted. Malformed lines are counted (the sample has none); Tidemark writes them as dead
 * letters.
 *
 * <pre>{@code
 * java -cp ... dev.tidemark.runners.bench.NativeFlinkTripsPerAreaHour \
 *     --input=trips.csv --output=out/totals.csv [--parallelism=2]
 * }</pre>
 */
public final class NativeFlinkTripsPerAreaHour {

  /** Key of trips without a pickup area, as Tidemark writes it. */
  static final String UNKNOWN_AREA = "unknown";

  private NativeFlinkTripsPerAreaHour() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    String input = required(opts, "input");
    Path output = Path.of(required(opts, "output"));
    int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", "2"));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(parallelism);

    long size = Files.size(Path.of(input));
    // One byte range of the file per parallel reader, as Beam's TextIO splits it. (Flink's legacy
    // readTextFile ships its splits through Kryo, which loops forever with Spark's chill on this
    // classpath; and the FLIP-27 file source is not on it.)
    env.fromSequence(0, parallelism - 1)
        .name("SplitFile")
        .flatMap(new ReadLinesFn(input, size, parallelism))
        .name("ReadTripLines")
        .flatMap(new ParseTripFn())
        .name("ParseTrips")
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<Tuple3<String, Long, Long>>forMonotonousTimestamps()
                .withTimestampAssigner((trip, previous) -> trip.f1))
        .keyBy(new AreaKey())
        .window(TumblingEventTimeWindows.of(Time.hours(1)))
        .aggregate(new CountAndSumFares(), new ToCsvLine())
        .name("CountTripsPerAreaHour")
        .addSink(new WriteCsvFile(output.toAbsolutePath().toString()))
        .name("WriteTotals")
        .setParallelism(1);
    env.execute("native-trips-per-area-hour");
  }

  /**
   * Reads the lines of byte range {@code i} of {@code ranges} of the file: those that start in it
   * (a line crossing the range's end belongs to it, one crossing its start to the range before).
   */
  static final class ReadLinesFn implements FlatMapFunction<Long, String> {
    private final String path;
    private final long size;
    private final int ranges;

    ReadLinesFn(String path, long size, int ranges) {
      this.path = path;
      this.size = size;
      this.ranges = ranges;
    }

    @Override
    public void flatMap(Long range, Collector<String> out) throws IOException {
      long start = size * range / ranges;
      long end = size * (range + 1) / ranges;
      try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
        long pos = start;
        if (start > 0) {
          // Skip the rest of the line that started in the range before.
          file.seek(start - 1);
          int b;
          pos = start - 1;
          while ((b = file.read()) != -1) {
            pos++;
            if (b == '\n') {
              break;
            }
          }
        }
        file.seek(pos);
        InputStream in = Channels.newInputStream(file.getChannel());
        byte[] buf = new byte[1 << 16];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        long lineStart = pos;
        int n;
        while (lineStart < end && (n = in.read(buf)) > 0) {
          int from = 0;
          for (int i = 0; i < n && lineStart < end; i++) {
            if (buf[i] == '\n') {
              line.write(buf, from, i - from);
              emit(line, out);
              from = i + 1;
              lineStart = pos + from;
            }
          }
          if (lineStart < end) {
            line.write(buf, from, n - from);
          }
          pos += n;
        }
        if (lineStart < end && line.size() > 0) {
          emit(line, out);
        }
      }
    }

    private static void emit(ByteArrayOutputStream line, Collector<String> out) {
      int n = line.size();
      byte[] bytes = line.toByteArray();
      if (n > 0 && bytes[n - 1] == '\r') {
        n--;
      }
      out.collect(new String(bytes, 0, n, StandardCharsets.UTF_8));
      line.reset();
    }
  }

  /**
   * Parses a line into (pickup area, start in epoch millis, fare in cents); skips the header and
   * malformed lines.
   */
  static final class ParseTripFn implements FlatMapFunction<String, Tuple3<String, Long, Long>> {
    @Override
    public void flatMap(String line, Collector<Tuple3<String, Long, Long>> out) {
      if (TaxiTripCsv.isHeader(line)) {
        return;
      }
      TaxiTrip trip;
      try {
        trip = TaxiTripCsv.parse(line);
      } catch (MalformedTripException e) {
        return;
      }
      Integer area = trip.pickupCommunityArea();
      out.collect(
          Tuple3.of(
              area == null ? UNKNOWN_AREA : area.toString(),
              trip.tripStartTimestamp() * 1000L,
              trip.fareCents()));
    }
  }

  /** The pickup area. */
  static final class AreaKey implements KeySelector<Tuple3<String, Long, Long>, String> {
    @Override
    public String getKey(Tuple3<String, Long, Long> trip) {
      return trip.f0;
    }
  }

  /** (trips, cents). */
  static final class CountAndSumFares
      implements AggregateFunction<
          Tuple3<String, Long, Long>, Tuple2<Long, Long>, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> createAccumulator() {
      return Tuple2.of(0L, 0L);
    }

    @Override
    public Tuple2<Long, Long> add(Tuple3<String, Long, Long> trip, Tuple2<Long, Long> acc) {
      return Tuple2.of(acc.f0 + 1, acc.f1 + trip.f2);
    }

    @Override
    public Tuple2<Long, Long> getResult(Tuple2<Long, Long> acc) {
      return acc;
    }

    @Override
    public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
      return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1);
    }
  }

  /** {@code area,hourStart,trips,dollars.cents}, as Tidemark's totals CSV. */
  static final class ToCsvLine
      extends ProcessWindowFunction<Tuple2<Long, Long>, String, String, TimeWindow> {
    @Override
    public void process(
        String area, Context context, Iterable<Tuple2<Long, Long>> totals, Collector<String> out) {
      Tuple2<Long, Long> t = totals.iterator().next();
      long cents = t.f1;
      out.collect(
          area
              + ','
              + Instant.ofEpochMilli(context.window().getStart())
              + ','
              + t.f0
              + ','
              + (cents / 100)
              + '.'
              + (Math.abs(cents % 100) < 10 ? "0" : "")
              + Math.abs(cents % 100));
    }
  }

  /** One CSV file with a header line, written by a single sink instance. */
  static final class WriteCsvFile extends RichSinkFunction<String> {
    private final String path;
    private transient BufferedWriter out;

    WriteCsvFile(String path) {
      this.path = path;
    }

    @Override
    public void open(OpenContext context) throws IOException {
      Path file = Path.of(path);
      Files.createDirectories(file.getParent());
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      out.write("pickup_area,hour_start,trips,fare_sum\n");
    }

    @Override
    public void invoke(String line, Context context) throws IOException {
      out.write(line);
      out.write('\n');
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
      }
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + a);
      }
      opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + "=... is required");
    }
    return v;
  }
}
