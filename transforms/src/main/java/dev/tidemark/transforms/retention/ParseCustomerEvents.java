package dev.tidemark.transforms.retention;

import dev.tidemark.core.reject.Reject;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses JSON lines into {@link CustomerEvent}s, each stamped with its own event time.
 *
 * <p>Outputs, by tag: {@link #EVENTS} the parsed events, timestamped with their {@code time};
 * {@link #DEAD_LETTERS} every line that could not be parsed, with the reason. {@code lines in =
 * events + dead letters} (counters {@code eventsParsed}, {@code eventsDeadLettered}). The input
 * elements must not carry timestamps later than the events' own (as read from files they carry the
 * minimum timestamp).
 */
public final class ParseCustomerEvents extends PTransform<PCollection<String>, PCollectionTuple> {

  /** Events parsed from well-formed lines. */
  public static final TupleTag<CustomerEvent> EVENTS = new TupleTag<CustomerEvent>() {};

  /** Lines that could not be parsed, with the reason. */
  public static final TupleTag<Reject> DEAD_LETTERS = new TupleTag<Reject>() {};

  private final String source;

  private ParseCustomerEvents(String source) {
    this.source = source;
  }

  /** Parses lines read from {@code source} (a file name or URI, recorded in dead letters). */
  public static ParseCustomerEvents from(String source) {
    return new ParseCustomerEvents(source);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple out =
        lines.apply(
            "ParseEventLine",
            ParDo.of(new ParseEventFn(source))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    out.get(EVENTS).setCoder(CustomerEvent.coder());
    return out;
  }

  /** Parses one line, outputs it at its event time, or dead-letters it; counts both outcomes. */
  static final class ParseEventFn extends DoFn<String, CustomerEvent> {
    private final Counter parsed = Metrics.counter(ParseCustomerEvents.class, "eventsParsed");
    private final Counter rejected =
        Metrics.counter(ParseCustomerEvents.class, "eventsDeadLettered");
    private final String source;

    ParseEventFn(String source) {
      this.source = source;
    }

    @ProcessElement
    public void processElement(@Element String line, MultiOutputReceiver out) {
      try {
        CustomerEvent event = CustomerEventJson.parse(line);
        out.get(EVENTS).outputWithTimestamp(event, event.time());
        parsed.inc();
      } catch (MalformedEventException e) {
        out.get(DEAD_LETTERS).output(Reject.ofLine(source, line, e.getMessage()));
        rejected.inc();
      }
    }
  }
}
