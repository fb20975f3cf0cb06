package dev.tidemark.transforms.inference.graph;

import dev.tidemark.core.yaml.YamlException;

/**
 * An inference graph spec that cannot be used: the message names the file, the line, the node and
 * step, and what is wrong, e.g. {@code graph.yaml:12: node 'root' step 'challenger': the weights of
 * a Splitter must sum to 100, not 90}. The YAML reader's own errors (not YAML, a list where a value
 * belongs) have this type too.
 */
public final class InferenceGraphSpecException extends YamlException {
  private static final long serialVersionUID = 1L;

  InferenceGraphSpecException(String file, int line, String where, String message) {
    super(file, line, where, message);
  }
}
