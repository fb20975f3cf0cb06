package dev.tidemark.pipelines.play;

import dev.tidemark.core.yaml.YamlException;

/**
 * A malformed or inconsistent scenario. Its message is one line naming the file, the place (line
 * and path in the document) and what is wrong: {@code cats.yaml:7: stream[2].watermark: the
 * watermark goes back from 12:05:00 to 12:03:00}. The YAML reader's own errors (not YAML, a list
 * where a value belongs, an unknown or duplicate key) have this type too.
 */
public final class ScenarioException extends YamlException {
  private static final long serialVersionUID = 1L;

  public ScenarioException(String file, int line, String path, String what) {
    super(file, line, path, what);
  }
}
