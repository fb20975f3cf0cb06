package dev.tidemark.core.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One node of a {@link YamlDocument}: a single value, a list or a mapping, with its line and its
 * path in the document ({@code pipeline.trigger.watermark.early}, {@code stream[2]}). A format asks
 * for the kind it expects ({@link #scalar()}, {@link #list()}, {@link #mapping(Set)}) and gets a
 * {@link YamlException} naming line and path when the node is something else; its own checks raise
 * {@link #error(String)} at the node.
 */
public final class YamlNode {
  private final YamlDocument document;
  private final Node node;
  private final String path;

  YamlNode(YamlDocument document, Node node, String path) {
    this.document = document;
    this.node = node;
    this.path = path;
  }

  /** The document this node belongs to. */
  public YamlDocument document() {
    return document;
  }

  /** The 1-based line where the node starts, or 0 when unknown. */
  public int line() {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** Where the node is: keys joined by dots, list indexes in brackets; empty for the root. */
  public String path() {
    return path;
  }

  /** Whether this is a single value (a scalar, {@code null} and the empty value included). */
  public boolean isScalar() {
    return node instanceof ScalarNode;
  }

  /** Whether this is a list. */
  public boolean isList() {
    return node instanceof SequenceNode;
  }

  /** Whether this is a mapping. */
  public boolean isMapping() {
    return node instanceof MappingNode;
  }

  /** Whether this is a single value written without quotes ({@code 5}, not {@code "5"}). */
  public boolean isPlain() {
    return node instanceof ScalarNode s && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
  }

  /**
   * The text of a single value, exactly as the document has it after YAML's unquoting (the empty
   * string for an empty value).
   *
   * @throws YamlException "expected a single value, found a list" (or a mapping)
   */
  public String scalar() {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    throw error("expected a single value, found a " + kind());
  }

  /**
   * The items of a list, each with path {@code path[i]}.
   *
   * @throws YamlException "expected a list, found a value" (or a mapping)
   */
  public List<YamlNode> list() {
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list, found a " + kind());
    }
    List<YamlNode> items = new ArrayList<>();
    for (Node item : s.getValue()) {
      items.add(new YamlNode(document, item, path + "[" + items.size() + "]"));
    }
    return Collections.unmodifiableList(items);
  }

  /**
   * The mapping, any keys allowed; keys must be single values and appear once.
   *
   * @throws YamlException "expected a mapping (key: value), found a list", or "duplicate key 'k'"
   *     at the second occurrence
   */
  public YamlMapping mapping() {
    return mapping(null);
  }

  /**
   * The mapping, refusing keys outside {@code allowed} ("unknown key 'colour' (expected one of
   * combine, window)", at the key's line and path) and duplicate keys, whichever comes first.
   */
  public YamlMapping mapping(Set<String> allowed) {
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping (key: value), found a " + kind());
    }
    Map<String, YamlNode> keys = new LinkedHashMap<>();
    Map<String, YamlNode> values = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = new YamlNode(document, t.getKeyNode(), path).scalar();
      String where = path.isEmpty() ? key : path + "." + key;
      YamlNode keyNode = new YamlNode(document, t.getKeyNode(), where);
      if (allowed != null && !allowed.contains(key)) {
        throw keyNode.error(
            "unknown key '"
                + key
                + "' (expected one of "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
      if (keys.put(key, keyNode) != null) {
        throw keyNode.error("duplicate key '" + key + "'");
      }
      values.put(key, new YamlNode(document, t.getValueNode(), where));
    }
    return new YamlMapping(this, keys, values);
  }

  /** An error at this node's line and path; throw it. */
  public YamlException error(String problem) {
    return document.error(line(), path, problem);
  }

  /** The kind as messages name it: {@code value}, {@code list} or {@code mapping}. */
  public String kind() {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    if (node instanceof SequenceNode) {
      return "list";
    }
    return "value";
  }

  @Override
  public String toString() {
    return document.file() + ":" + line() + ": " + (path.isEmpty() ? "(document)" : path);
  }
}
