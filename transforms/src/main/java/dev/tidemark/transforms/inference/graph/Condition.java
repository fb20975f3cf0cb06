package dev.tidemark.transforms.inference.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@code Switch} (or {@code Sequence}) step condition: the subset of the GJSON path syntax that
 * KServe users write in an InferenceGraph, evaluated on the request document as KServe's router
 * does ({@code gjson.GetBytes(input, condition).Exists()}, kserve/kserve {@code
 * cmd/router/main.go}).
 *
 * <p>The request document is a JSON object: the trip with the CSV column names, as {@link
 * dev.tidemark.core.trip.TaxiTripJson} writes it (every column present, {@code null} when missing),
 * plus {@code probability}, {@code model} and {@code version} of the previous step's response where
 * there is one ({@code null} otherwise). A GJSON query {@code #(...)} runs over an array, so KServe
 * wraps the document with the {@code [@this]} multipath; the accepted forms are:
 *
 * <pre>
 *   [@this].#(trip_miles>10)                          one comparison
 *   [@this].#(payment_type=="Cash")                   == (or =), !=, <, <=, >, >=
 *   [@this].#(company%"Flash*")                       % like, !% not like (* any run, ? one char)
 *   [@this].#(probability>=0.4)#|#(probability<0.6)   AND: the all-matches array of the first query
 *                                                     piped into the next (GJSON has no &&)
 * </pre>
 *
 * <p>Literals: strings in double quotes ({@code \"} and {@code \\} escapes), numbers, {@code true}
 * and {@code false}. As in GJSON, a comparison with a {@code null} value is false (even {@code
 * !=}), strings compare lexicographically, numbers numerically, and {@code ==} equals {@code =}.
 *
 * <p>Rejected at parse time, with the reason (each would be accepted by GJSON but silently never,
 * or always, match): a bare path or comparison without {@code [@this].#(...)} (GJSON reads {@code
 * fare>=20} as a key name, and {@code #(...)} on an object finds nothing); a condition ending in
 * {@code )#} (an all-matches query returns {@code []} when nothing matches, which exists, so it is
 * always true); an existence query without an operator (every column is always present); {@code
 * &&}, {@code ||}, {@code null}, {@code ~} literals, modifiers other than {@code [@this]}, nested
 * paths; unknown field names; a literal whose type differs from the field's (a string compared with
 * a number), and {@code %} on a number.
 */
public final class Condition implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The type of a field of the request document. */
  public enum FieldType {
    NUMBER,
    STRING
  }

  /** A comparison operator of a GJSON query. */
  enum Op {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    LIKE("%"),
    NOT_LIKE("!%");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  /** One {@code #(field op literal)} query; {@code literal} is a String, Double or Boolean. */
  record Comparison(String field, Op op, Object literal) implements Serializable {}

  private final String text;
  private final List<Comparison> all;

  private Condition(String text, List<Comparison> all) {
    this.text = text;
    this.all = List.copyOf(all);
  }

  /**
   * Parses {@code text}, checking field names and literal types against {@code fields}.
   *
   * @throws IllegalArgumentException with the reason, naming the offending part
   */
  public static Condition parse(String text, Map<String, FieldType> fields) {
    return new Parser(text, fields).condition();
  }

  /** Whether the condition matches the document whose fields {@code field} returns. */
  public boolean matches(Function<String, JsonNode> field) {
    for (Comparison c : all) {
      if (!matches(c, field.apply(c.field()))) {
        return false;
      }
    }
    return true;
  }

  /** The text as written in the spec. */
  public String text() {
    return text;
  }

  List<Comparison> comparisons() {
    return all;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** GJSON's {@code queryMatches} for the value types a request document holds. */
  private static boolean matches(Comparison c, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isTextual()) {
      if (!(c.literal() instanceof String s)) {
        return false;
      }
      int cmp = v.asText().compareTo(s);
      return switch (c.op()) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
        case LIKE -> like(v.asText(), s);
        case NOT_LIKE -> !like(v.asText(), s);
      };
    }
    if (v.isNumber()) {
      if (!(c.literal() instanceof Double d)) {
        return false;
      }
      double x = v.asDouble();
      return switch (c.op()) {
        case EQ -> x == d;
        case NE -> x != d;
        case LT -> x < d;
        case LE -> x <= d;
        case GT -> x > d;
        case GE -> x >= d;
        case LIKE, NOT_LIKE -> false;
      };
    }
    if (v.isBoolean() && c.literal() instanceof Boolean b) {
      // GJSON orders false before true.
      int cmp = Boolean.compare(v.asBoolean(), b);
      return switch (c.op()) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
        case LIKE, NOT_LIKE -> false;
      };
    }
    return false;
  }

  /** GJSON's (tidwall/match) pattern: {@code *} any run of characters, {@code ?} one character. */
  static boolean like(String s, String pattern) {
    return like(s, 0, pattern, 0);
  }

  private static boolean like(String s, int i, String p, int j) {
    while (j < p.length()) {
      char c = p.charAt(j);
      if (c == '*') {
        while (j < p.length() && p.charAt(j) == '*') {
          j++;
        }
        if (j == p.length()) {
          return true;
        }
        for (int k = i; k <= s.length(); k++) {
          if (like(s, k, p, j)) {
            return true;
          }
        }
        return false;
      }
      if (i == s.length()) {
        return false;
      }
      if (c == '?') {
        i++;
        j++;
        continue;
      }
      if (c == '\\' && j + 1 < p.length()) {
        j++;
        c = p.charAt(j);
      }
      if (s.charAt(i) != c) {
        return false;
      }
      i++;
      j++;
    }
    return i == s.length();
  }

  /** A recursive-descent reader of the accepted subset. */
  private static final class Parser {
    private static final String WRAP = "[@this]";

    private final String text;
    private final Map<String, FieldType> fields;
    private int pos;

    Parser(String text, Map<String, FieldType> fields) {
      this.text = text == null ? "" : text.strip();
      this.fields = fields;
    }

    Condition condition() {
      if (text.isEmpty()) {
        throw error("the condition is empty (leave 'condition' out for the default step)");
      }
      if (text.contains("&&") || text.contains("||")) {
        throw error(
            "GJSON has no && or ||: write an AND as queries piped through their all-matches"
                + " arrays, e.g. [@this].#(fare>10)#|#(trip_miles<2)");
      }
      if (!text.startsWith(WRAP)) {
        if (text.startsWith("#(")) {
          throw error(
              "a GJSON query #(...) searches an array and the request is an object: wrap it as"
                  + " [@this].#(...)");
        }
        throw error(
            "not a GJSON query: GJSON reads '"
                + text
                + "' as a key name, which never exists; write a comparison as"
                + " [@this].#(field op value), e.g. [@this].#(fare>=20)");
      }
      pos = WRAP.length();
      if (pos >= text.length() || (text.charAt(pos) != '.' && text.charAt(pos) != '|')) {
        throw error("expected .#( after [@this]");
      }
      pos++;
      List<Comparison> out = new ArrayList<>();
      out.add(query());
      while (pos < text.length()) {
        if (text.startsWith("#|#(", pos)) {
          pos += 2;
          out.add(query());
        } else if (pos == text.length() - 1 && text.charAt(pos) == '#') {
          throw error(
              "a condition ending in )# is always true: GJSON's all-matches query answers []"
                  + " when nothing matches, and [] exists; drop the final #");
        } else if (text.startsWith("|#(", pos) || text.startsWith(".#(", pos)) {
          throw error(
              "to AND two queries, pipe the all-matches array of the first: )#|#( (a single"
                  + " match is an object, which the next query cannot search)");
        } else {
          throw error("unexpected '" + text.substring(pos) + "' after a query");
        }
      }
      return new Condition(text, out);
    }

    private Comparison query() {
      if (!text.startsWith("#(", pos)) {
        throw error("expected #( at '" + text.substring(pos) + "'");
      }
      pos += 2;
      skipSpaces();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      String field = text.substring(start, pos);
      if (field.isEmpty()) {
        throw error("expected a field name at '" + text.substring(start) + "'");
      }
      if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == '#')) {
        throw error(
            "nested paths are not supported: the request is a flat object of columns ('"
                + field
                + "')");
      }
      FieldType type = fields.get(field);
      if (type == null) {
        throw error(
            "unknown field '" + field + "': the request has " + String.join(", ", fieldNames()));
      }
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) == ')') {
        throw error(
            "an existence query #("
                + field
                + ") is always true: every field of the request is present (null when missing)");
      }
      Op op = op();
      skipSpaces();
      Object literal = literal();
      skipSpaces();
      if (pos >= text.length() || text.charAt(pos) != ')') {
        throw error("expected ) after the value in the query on '" + field + "'");
      }
      pos++;
      check(field, type, op, literal);
      return new Comparison(field, op, literal);
    }

    private List<String> fieldNames() {
      return new ArrayList<>(fields.keySet());
    }

    private void check(String field, FieldType type, Op op, Object literal) {
      if (literal instanceof Boolean) {
        throw error(
            "'" + field + "' is a " + lower(type) + ", not a boolean: true/false never match it");
      }
      if ((op == Op.LIKE || op == Op.NOT_LIKE) && type != FieldType.STRING) {
        throw error(op.symbol + " (like) applies to strings and '" + field + "' is a number");
      }
      if (type == FieldType.NUMBER && !(literal instanceof Double)) {
        throw error("'" + field + "' is a number: compare it with a number, not " + show(literal));
      }
      if (type == FieldType.STRING && !(literal instanceof String)) {
        throw error(
            "'"
                + field
                + "' is a string: compare it with a quoted string, e.g. \""
                + literal
                + "\" (GJSON would compare the text)");
      }
    }

    private static String lower(FieldType t) {
      return t.name().toLowerCase(Locale.ROOT);
    }

    private static String show(Object literal) {
      return literal instanceof String s ? "\"" + s + "\"" : String.valueOf(literal);
    }

    private Op op() {
      String rest = text.substring(pos);
      for (String[] o :
          new String[][] {
            {"==", "EQ"},
            {"!=", "NE"},
            {"<=", "LE"},
            {">=", "GE"},
            {"!%", "NOT_LIKE"},
            {"=", "EQ"},
            {"<", "LT"},
            {">", "GT"},
            {"%", "LIKE"}
          }) {
        if (rest.startsWith(o[0])) {
          pos += o[0].length();
          return Op.valueOf(o[1]);
        }
      }
      throw error(
          "expected an operator (==, !=, <, <=, >, >=, %, !%) at '"
              + (rest.isEmpty() ? "the end" : rest)
              + "'");
    }

    private Object literal() {
      if (pos >= text.length()) {
        throw error("expected a value at the end");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        StringBuilder s = new StringBuilder();
        pos++;
        while (pos < text.length() && text.charAt(pos) != '"') {
          char x = text.charAt(pos);
          if (x == '\\' && pos + 1 < text.length()) {
            pos++;
            x = text.charAt(pos);
          }
          s.append(x);
          pos++;
        }
        if (pos >= text.length()) {
          throw error("unterminated string " + text.substring(text.lastIndexOf('"')));
        }
        pos++;
        return s.toString();
      }
      int start = pos;
      while (pos < text.length() && text.charAt(pos) != ')' && text.charAt(pos) != ' ') {
        pos++;
      }
      String word = text.substring(start, pos);
      if (word.equals("true") || word.equals("false")) {
        return Boolean.valueOf(word);
      }
      if (word.equals("null") || word.startsWith("~")) {
        throw error(
            "'"
                + word
                + "' is not supported: a null value never matches a GJSON comparison; compare"
                + " with a number or a quoted string");
      }
      if (word.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")) {
        return Double.valueOf(word);
      }
      throw error(
          "expected a number, a quoted string, true or false at '"
              + (word.isEmpty() ? text.substring(start) : word)
              + "'");
    }

    private void skipSpaces() {
      while (pos < text.length() && text.charAt(pos) == ' ') {
        pos++;
      }
    }

    private IllegalArgumentException error(String why) {
      return new IllegalArgumentException("condition '" + text + "': " + why);
    }
  }
}
