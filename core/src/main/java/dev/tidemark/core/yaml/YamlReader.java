package dev.tidemark.core.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one YAML document into a {@link YamlDocument} whose nodes keep their lines. The document is
 * composed, not constructed (SnakeYAML's {@code compose}): values stay text until the format reads
 * them, so bare times such as {@code 12:00:00} stay text (YAML 1.1 would otherwise read them as
 * base-60 numbers) and quoting is visible ({@link YamlNode#isPlain()}).
 *
 * <pre>
 * YamlDocument doc = YamlReader.of("YAML or JSON").withErrors(ScenarioException::new).read(path);
 * YamlMapping top = doc.root().mapping(Set.of("name", "stream", "pipeline"));
 * </pre>
 *
 * <p>Errors: a missing or unreadable file, text that is not YAML (with the line SnakeYAML reports)
 * and an empty document; each a {@link YamlException} (or the format's subclass).
 */
public final class YamlReader {
  private final String format;
  private final YamlException.Factory errors;

  private YamlReader(String format, YamlException.Factory errors) {
    this.format = Objects.requireNonNull(format, "format");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * A reader of documents in {@code format}, the name used in "not valid ..." messages: {@code
   * YAML}, or {@code YAML or JSON} where JSON is accepted too (JSON is YAML).
   */
  public static YamlReader of(String format) {
    return new YamlReader(format, YamlException::new);
  }

  /** The same reader raising the format's own exception type for every error. */
  public YamlReader withErrors(YamlException.Factory errors) {
    return new YamlReader(format, errors);
  }

  /** Reads the document in {@code path}; messages name the file as {@code path.toString()}. */
  public YamlDocument read(Path path) {
    String file = path.toString();
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw errors.create(file, 0, "", "no such file");
    } catch (IOException e) {
      throw errors.create(file, 0, "", "cannot read the file (" + e + ")");
    }
    return read(file, text);
  }

  /** Reads a document given as text; {@code file} names it in messages. */
  public YamlDocument read(String file, String text) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw errors.create(file, line, "", "not valid " + format + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw errors.create(file, 0, "", "not valid " + format + ": " + e.getMessage());
    }
    if (root == null) {
      throw errors.create(file, 0, "", "the file is empty");
    }
    return new YamlDocument(file, root, errors);
  }
}
