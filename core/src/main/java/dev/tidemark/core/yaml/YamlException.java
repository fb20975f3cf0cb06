package dev.tidemark.core.yaml;

/**
 * A document that cannot be used, located: the message is one line naming the file, the line, the
 * path in the document and what is wrong, e.g. {@code s.yaml:7: pipeline.colour: unknown key
 * 'colour' (expected one of combine, window)}. The line is left out when it is unknown (0), the
 * path when the error concerns the whole document.
 *
 * <p>Formats subclass it so that callers can catch their own errors ({@code ScenarioException},
 * {@code InferenceGraphSpecException}); {@link YamlReader#withErrors} makes the reader raise the
 * subclass.
 */
public class YamlException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String path;
  private final String problem;

  /**
   * An error at {@code line} of {@code file}.
   *
   * @param file the file's name (or the name given to text read from elsewhere)
   * @param line the 1-based line, or 0 when it concerns the whole file
   * @param path where in the document, e.g. {@code pipeline.window.fixed}; empty for the whole
   *     document
   * @param problem what is wrong, one sentence
   */
  public YamlException(String file, int line, String path, String problem) {
    super(
        file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    this.file = file;
    this.line = line;
    this.path = path;
    this.problem = problem;
  }

  /** The file's name (or the name given to text read from elsewhere). */
  public String file() {
    return file;
  }

  /** The 1-based line of the problem, or 0 when it concerns the whole file. */
  public int line() {
    return line;
  }

  /** Where in the document, e.g. {@code stream[2].watermark}; empty for the whole document. */
  public String path() {
    return path;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** Makes the exception a format raises; {@code ScenarioException::new} for instance. */
  @FunctionalInterface
  public interface Factory {
    /** The exception for a problem at {@code line} and {@code path} of {@code file}. */
    YamlException create(String file, int line, String path, String problem);
  }
}
