package dev.tidemark.pipelines.sinks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.core.reject.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes {@link Reject}s, the one way every pipeline persists what it could not process:
 *
 * <ul>
 *   <li>{@link #toTopic}: a dead-letter topic whose key and value are the original bytes, with the
 *       reason and the source in headers ({@value #REASON}, {@value #SOURCE}) and, when the reject
 *       was read from a partitioned log, its position ({@value #SOURCE_TOPIC}, {@value
 *       #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}); so a fixed record can be re-published as is;
 *   <li>{@link #toFiles}: TSV files {@code <prefix>-*.tsv}, one line {@code
 *       source<TAB>reason<TAB>payload} per reject ({@link Reject#toLine()}).
 * </ul>
 */
public abstract class WriteRejects extends PTransform<PCollection<Reject>, PDone> {

  /** Header: why the record was rejected, one sentence. */
  public static final String REASON = "tidemark.reason";

  /** Header: where the record came from or what refused it ({@link Reject#source()}). */
  public static final String SOURCE = "tidemark.source";

  /** Header: the topic the record was read from (only for records read from a topic). */
  public static final String SOURCE_TOPIC = "tidemark.source.topic";

  /** Header: its partition, in decimal. */
  public static final String SOURCE_PARTITION = "tidemark.source.partition";

  /** Header: its offset, in decimal. */
  public static final String SOURCE_OFFSET = "tidemark.source.offset";

  private WriteRejects() {}

  /** Writes to the dead-letter {@code topic} on the brokers at {@code bootstrapServers}. */
  public static WriteRejects toTopic(String bootstrapServers, String topic) {
    return new ToTopic(bootstrapServers, topic);
  }

  /** Writes one TSV file {@code <prefix>-00000-of-00001.tsv}. */
  public static WriteRejects toFiles(String prefix) {
    return new ToFiles(prefix);
  }

  private static final class ToTopic extends WriteRejects {
    private final String bootstrapServers;
    private final String topic;

    ToTopic(String bootstrapServers, String topic) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }

    @Override
    public PDone expand(PCollection<Reject> rejects) {
      return rejects
          .apply("ToDeadLetterRecord", MapElements.via(new ToDeadLetterRecordFn(topic)))
          .setCoder(
              ProducerRecordCoder.of(
                  NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of())))
          .apply(
              "WriteDeadLetterTopic",
              KafkaIO.<byte[], byte[]>writeRecords()
                  .withBootstrapServers(bootstrapServers)
                  .withTopic(topic)
                  .withKeySerializer(ByteArraySerializer.class)
                  .withValueSerializer(ByteArraySerializer.class));
    }
  }

  private static final class ToFiles extends WriteRejects {
    private final String prefix;

    ToFiles(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public PDone expand(PCollection<Reject> rejects) {
      return rejects
          .apply("FormatRejects", MapElements.via(new ToLineFn()))
          .apply("WriteRejectFile", TextIO.write().to(prefix).withSuffix(".tsv").withNumShards(1));
    }
  }

  /** The original key and value, with the reason, the source and the position as headers. */
  static final class ToDeadLetterRecordFn
      extends SimpleFunction<Reject, ProducerRecord<byte[], byte[]>> {
    private final String topic;

    ToDeadLetterRecordFn(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> apply(Reject r) {
      List<Header> headers = new ArrayList<>(5);
      headers.add(new RecordHeader(REASON, r.reason().getBytes(UTF_8)));
      headers.add(new RecordHeader(SOURCE, r.source().getBytes(UTF_8)));
      if (r.position() != null) {
        headers.add(new RecordHeader(SOURCE_TOPIC, r.position().topic().getBytes(UTF_8)));
        headers.add(
            new RecordHeader(
                SOURCE_PARTITION, Integer.toString(r.position().partition()).getBytes(UTF_8)));
        headers.add(
            new RecordHeader(SOURCE_OFFSET, Long.toString(r.position().offset()).getBytes(UTF_8)));
      }
      return new ProducerRecord<>(topic, null, null, r.key(), r.payload(), headers);
    }

    @Override
    public TypeDescriptor<ProducerRecord<byte[], byte[]>> getOutputTypeDescriptor() {
      return new TypeDescriptor<ProducerRecord<byte[], byte[]>>() {};
    }
  }

  /** One TSV line per reject. */
  static final class ToLineFn extends SimpleFunction<Reject, String> {
    @Override
    public String apply(Reject r) {
      return r.toLine();
    }
  }
}
