package dev.tidemark.pipelines.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidemark.pipelines.kafka.WriteKeyedStrings;
import dev.tidemark.transforms.late.LateElement;
import dev.tidemark.transforms.windowing.TriggerSpec;
import dev.tidemark.transforms.windowing.WindowSpec;
import dev.tidemark.transforms.windowing.WindowingPolicy;
import java.time.Instant;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes the elements a windowed step captured as too late ({@link LateElement}), so that late data
 * is never silently lost in a pipeline that ships: to the topic {@code <output topic>-late} of a
 * streaming pipeline ({@link #toTopic}), or to JSON-lines files beside a file output ({@link
 * #toFiles}). One JSON object per late element:
 *
 * <pre>{@code
 * {"step":"CountTripsPerAreaHour","element":{...},"eventTime":"2013-03-07T09:14:00Z",
 *  "window":{"start":"2013-03-07T09:00:00Z","end":"2013-03-07T10:00:00Z"},
 *  "watermark":"2013-03-07T16:02:11Z","reason":"window [...] expired at ..."}
 * }</pre>
 *
 * The Kafka record's key is the step and the window start, so that a consumer can find the window
 * the element missed.
 *
 * @param <T> the late elements' type
 */
public abstract class WriteLateData<T> extends PTransform<PCollection<LateElement<T>>, PDone> {

  /** How a streaming pipeline batches its late elements into files: a pane a minute. */
  static final WindowingPolicy STREAMING_FILES =
      WindowingPolicy.of(WindowSpec.parse("global"))
          .withTrigger(TriggerSpec.parse("repeat(processing(1m))"));

  /** The suffix of the late-data topic and files of an output. */
  public static final String SUFFIX = "-late";

  private final String step;
  private final SerializableFunction<T, String> elementJson;

  private WriteLateData(String step, SerializableFunction<T, String> elementJson) {
    this.step = step;
    this.elementJson = elementJson;
  }

  /**
   * Writes to {@code outputTopic + "-late"}.
   *
   * @param step the name of the step that captured the elements
   * @param elementJson the JSON of one element (an object, an array or a scalar)
   */
  public static <T> WriteLateData<T> toTopic(
      String bootstrapServers,
      String outputTopic,
      String step,
      SerializableFunction<T, String> elementJson) {
    return new ToTopic<>(bootstrapServers, outputTopic + SUFFIX, step, elementJson);
  }

  /** Writes one file {@code <outputPrefix>-late-00000-of-00001.jsonl}. */
  public static <T> WriteLateData<T> toFiles(
      String outputPrefix, String step, SerializableFunction<T, String> elementJson) {
    return new ToFiles<>(outputPrefix + SUFFIX, step, elementJson);
  }

  /** The late element as one JSON object (see the class comment). */
  static <T> String toJson(LateElement<T> late, String step, String elementJson) {
    ObjectNode o = JsonHolder.JSON.createObjectNode();
    o.put("step", step);
    try {
      o.set("element", JsonHolder.JSON.readTree(elementJson));
    } catch (JsonProcessingException e) {
      o.put("element", elementJson);
    }
    o.put("eventTime", instant(late.timestamp()));
    if (late.windowStart() != null) {
      ObjectNode w = o.putObject("window");
      w.put("start", instant(late.windowStart()));
      w.put("end", instant(late.windowEnd()));
    } else {
      o.putNull("window");
    }
    o.put("watermark", instant(late.watermark()));
    o.put("reason", late.reason());
    return o.toString();
  }

  private static String instant(org.joda.time.Instant t) {
    return Instant.ofEpochMilli(t.getMillis()).toString();
  }

  /** Jackson, created once per JVM. */
  private static final class JsonHolder {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  private static final class ToTopic<T> extends WriteLateData<T> {
    private final String bootstrapServers;
    private final String topic;

    ToTopic(
        String bootstrapServers,
        String topic,
        String step,
        SerializableFunction<T, String> elementJson) {
      super(step, elementJson);
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }

    @Override
    public PDone expand(PCollection<LateElement<T>> late) {
      return late.apply("ToLateRecord", MapElements.via(new ToKeyedJsonFn<T>(step(), json())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("WriteLateTopic", WriteKeyedStrings.to(bootstrapServers, topic));
    }
  }

  private static final class ToFiles<T> extends WriteLateData<T> {
    private final String prefix;

    ToFiles(String prefix, String step, SerializableFunction<T, String> elementJson) {
      super(step, elementJson);
      this.prefix = prefix;
    }

    @Override
    public PDone expand(PCollection<LateElement<T>> late) {
      PCollection<String> lines =
          late.apply("ToLateLine", MapElements.via(new ToJsonFn<T>(step(), json())));
      if (lines.isBounded() == PCollection.IsBounded.BOUNDED) {
        return lines.apply(
            "WriteLateFile", TextIO.write().to(prefix).withSuffix(".jsonl").withNumShards(1));
      }
      // A stream of late elements never ends: write what arrived every minute, one file a pane.
      return lines
          .apply("EveryMinute", STREAMING_FILES.<String>toWindow())
          .apply(
              "WriteLateFiles",
              TextIO.write().to(prefix).withSuffix(".jsonl").withWindowedWrites().withNumShards(1));
    }
  }

  String step() {
    return step;
  }

  SerializableFunction<T, String> json() {
    return elementJson;
  }

  /** One JSON line per late element. */
  static final class ToJsonFn<T> extends SimpleFunction<LateElement<T>, String> {
    private final String step;
    private final SerializableFunction<T, String> elementJson;

    ToJsonFn(String step, SerializableFunction<T, String> elementJson) {
      this.step = step;
      this.elementJson = elementJson;
    }

    @Override
    public String apply(LateElement<T> late) {
      return toJson(late, step, elementJson.apply(late.element()));
    }
  }

  /** Key {@code <step>|<window start>}, value the JSON line. */
  static final class ToKeyedJsonFn<T> extends SimpleFunction<LateElement<T>, KV<String, String>> {
    private final String step;
    private final SerializableFunction<T, String> elementJson;

    ToKeyedJsonFn(String step, SerializableFunction<T, String> elementJson) {
      this.step = step;
      this.elementJson = elementJson;
    }

    @Override
    public KV<String, String> apply(LateElement<T> late) {
      String window = late.windowStart() == null ? "global" : instant(late.windowStart());
      return KV.of(step + "|" + window, toJson(late, step, elementJson.apply(late.element())));
    }

    @Override
    public TypeDescriptor<KV<String, String>> getOutputTypeDescriptor() {
      return new TypeDescriptor<KV<String, String>>() {};
    }
  }
}
