package dev.tidemark.core.yaml;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A mapping node whose keys are single values, each present once (and, when it was read with {@link
 * YamlNode#mapping(Set)}, each allowed). Values keep the path {@code <mapping path>.<key>}.
 */
public final class YamlMapping {
  private final YamlNode node;
  private final Map<String, YamlNode> keys;
  private final Map<String, YamlNode> values;

  YamlMapping(YamlNode node, Map<String, YamlNode> keys, Map<String, YamlNode> values) {
    this.node = node;
    this.keys = Collections.unmodifiableMap(keys);
    this.values = Collections.unmodifiableMap(values);
  }

  /** The mapping's own node: its line, its path, errors about the whole mapping. */
  public YamlNode node() {
    return node;
  }

  /** The keys in document order. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** The number of keys. */
  public int size() {
    return values.size();
  }

  /** Whether {@code key} is present. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The value of {@code key}, or null when the key is absent. */
  public YamlNode get(String key) {
    return values.get(key);
  }

  /** The node of the key itself (for errors about the key rather than its value), or null. */
  public YamlNode key(String key) {
    return keys.get(key);
  }

  /**
   * The value of {@code key}.
   *
   * @throws YamlException at the mapping, "missing 'key'" followed by {@code hint} when not empty
   */
  public YamlNode require(String key, String hint) {
    YamlNode value = values.get(key);
    if (value == null) {
      throw node.error("missing '" + key + "'" + (hint.isEmpty() ? "" : " " + hint));
    }
    return value;
  }
}
