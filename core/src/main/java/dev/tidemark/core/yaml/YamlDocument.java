package dev.tidemark.core.yaml;

import org.yaml.snakeyaml.nodes.Node;

/**
 * One read document: its file name, its {@link #root()} node, and the way its errors are raised (so
 * that every error of a format has the format's exception type).
 */
public final class YamlDocument {
  private final String file;
  private final YamlNode root;
  private final YamlException.Factory errors;

  YamlDocument(String file, Node root, YamlException.Factory errors) {
    this.file = file;
    this.errors = errors;
    this.root = new YamlNode(this, root, "");
  }

  /** The file's name, as given to the reader. */
  public String file() {
    return file;
  }

  /** The top node; its path is empty. */
  public YamlNode root() {
    return root;
  }

  /**
   * An error at {@code line} and {@code path}, for checks made after reading (a reference to a node
   * defined further down, a cycle) where only the line was kept. Prefer {@link
   * YamlNode#error(String)} when the node is at hand.
   */
  public YamlException error(int line, String path, String problem) {
    return errors.create(file, line, path, problem);
  }
}
