package dev.tidemark.transforms.inference.graph;

/**
 * An inference graph spec that cannot be used: the message names the file, the line, the node and
 * step, and what is wrong, e.g. {@code graph.yaml:12: node 'root' step 'challenger': the weights of
 * a Splitter must sum to 100, not 90}.
 */
public final class InferenceGraphSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  InferenceGraphSpecException(String file, int line, String where, String message) {
    super(
        file
            + (line > 0 ? ":" + line : "")
            + ": "
            + (where.isEmpty() ? "" : where + ": ")
            + message);
    this.file = file;
    this.line = line;
  }

  /** The spec's file name (or the name given to text specs). */
  public String file() {
    return file;
  }

  /** The 1-based line of the problem, or 0 when it concerns the whole file. */
  public int line() {
    return line;
  }
}
