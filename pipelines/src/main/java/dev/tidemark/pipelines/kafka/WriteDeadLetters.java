package dev.tidemark.pipelines.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tidemark.transforms.eventlog.RejectedRecord;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
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
 * Writes rejected records to a dead-letter topic: key and value are the original bytes, the reason
 * and the source position travel in headers ({@value #REASON}, {@value #SOURCE_TOPIC}, {@value
 * #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}), so that a fixed record can be re-published as is.
 */
public final class WriteDeadLetters extends PTransform<PCollection<RejectedRecord>, PDone> {

  /** Header: why the record was rejected, one sentence. */
  public static final String REASON = "tidemark.reason";

  /** Header: the topic the record was read from. */
  public static final String SOURCE_TOPIC = "tidemark.source.topic";

  /** Header: its partition, in decimal. */
  public static final String SOURCE_PARTITION = "tidemark.source.partition";

  /** Header: its offset, in decimal. */
  public static final String SOURCE_OFFSET = "tidemark.source.offset";

  private final String bootstrapServers;
  private final String topic;

  public WriteDeadLetters(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  @Override
  public PDone expand(PCollection<RejectedRecord> rejected) {
    return rejected
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

  /** The original key and value, with the reason and source position as headers. */
  static final class ToDeadLetterRecordFn
      extends SimpleFunction<RejectedRecord, ProducerRecord<byte[], byte[]>> {
    private final String topic;

    ToDeadLetterRecordFn(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> apply(RejectedRecord r) {
      List<Header> headers =
          List.of(
              new RecordHeader(REASON, r.reason().getBytes(UTF_8)),
              new RecordHeader(SOURCE_TOPIC, r.record().topic().getBytes(UTF_8)),
              new RecordHeader(
                  SOURCE_PARTITION, Integer.toString(r.record().partition()).getBytes(UTF_8)),
              new RecordHeader(SOURCE_OFFSET, Long.toString(r.record().offset()).getBytes(UTF_8)));
      return new ProducerRecord<>(topic, null, null, r.record().key(), r.record().value(), headers);
    }

    @Override
    public TypeDescriptor<ProducerRecord<byte[], byte[]>> getOutputTypeDescriptor() {
      return new TypeDescriptor<ProducerRecord<byte[], byte[]>>() {};
    }
  }
}
