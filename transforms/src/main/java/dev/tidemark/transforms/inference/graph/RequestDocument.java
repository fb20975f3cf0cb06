package dev.tidemark.transforms.inference.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.core.trip.TaxiTripJson;
import dev.tidemark.core.trip.TripColumn;
import dev.tidemark.transforms.inference.ScoreOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a graph {@link Condition} sees of one trip: the trip as {@link TaxiTripJson} writes it (the
 * CSV column names, {@code null} for missing values), plus {@code probability}, {@code model} and
 * {@code version} of the previous step's response in a {@code Sequence} ({@code null} where there
 * is none). The trip's JSON tree is built once, on the first condition that reads it, and shared by
 * every node the trip passes.
 */
final class RequestDocument {

  /** The fields of the document and their types: what a condition may compare. */
  static final Map<String, Condition.FieldType> FIELDS = fields();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TaxiTrip trip;
  private JsonNode tree;
  private String tripId;

  RequestDocument(TaxiTrip trip) {
    this.trip = trip;
  }

  TaxiTrip trip() {
    return trip;
  }

  /** {@link TripSplit#tripId}, computed once. */
  String tripId() {
    if (tripId == null) {
      tripId = TripSplit.tripId(trip);
    }
    return tripId;
  }

  /** The fields as a condition reads them, with {@code response} as the previous answer. */
  Function<String, JsonNode> view(ScoreOutcome.Scored response) {
    return name ->
        switch (name) {
          case "probability" ->
              response == null
                  ? NullNode.getInstance()
                  : DoubleNode.valueOf(response.probability());
          case "model" ->
              response == null ? NullNode.getInstance() : TextNode.valueOf(response.model());
          case "version" ->
              response == null ? NullNode.getInstance() : TextNode.valueOf(response.version());
          default -> tree().get(name);
        };
  }

  private JsonNode tree() {
    if (tree == null) {
      try {
        tree = JSON.readTree(TaxiTripJson.toJson(trip));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot happen: TaxiTripJson writes JSON", e);
      }
    }
    return tree;
  }

  private static Map<String, Condition.FieldType> fields() {
    Map<String, Condition.FieldType> m = new LinkedHashMap<>();
    for (TripColumn c : TripColumn.ALL) {
      m.put(
          c.column(),
          c.type().isNumeric() ? Condition.FieldType.NUMBER : Condition.FieldType.STRING);
    }
    m.put("probability", Condition.FieldType.NUMBER);
    m.put("model", Condition.FieldType.STRING);
    m.put("version", Condition.FieldType.STRING);
    return Collections.unmodifiableMap(m);
  }
}
