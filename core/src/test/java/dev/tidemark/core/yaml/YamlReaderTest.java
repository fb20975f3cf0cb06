package dev.tidemark.core.yaml;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/**
 * The one YAML reader: nodes keep their line and path, and every refusal (duplicate key, unknown
 * key, wrong kind of node, broken YAML) names file, line and path in one sentence.
 */
public class YamlReaderTest {

  /** A small scenario-like document; line numbers in the tests refer to it. */
  private static final String DOC =
      String.join(
          "\n",
          "name: cats", // 1
          "pipeline:", // 2
          "  window: {fixed: 2m}", // 3
          "  trigger:", // 4
          "    watermark:", // 5
          "      early: {after-count: 2}", // 6
          "stream:", // 7
          "  - at: \"12:01:00\"", // 8
          "  - event: {key: felix, value: '5', time: 12:00:26}", // 9
          "");

  private static final YamlReader READER = YamlReader.of("YAML");

  private static YamlNode root(String text) {
    return READER.read("s.yaml", text).root();
  }

  private static YamlException refusal(String text, java.util.function.Consumer<YamlNode> read) {
    return assertThrows(YamlException.class, () -> read.accept(root(text)));
  }

  /** Every node knows its line and its path: keys joined by dots, list items indexed. */
  @Test
  public void nodesKeepTheirLineAndPath() {
    YamlMapping top = root(DOC).mapping(Set.of("name", "pipeline", "stream"));
    YamlNode early =
        top.get("pipeline")
            .mapping()
            .get("trigger")
            .mapping()
            .get("watermark")
            .mapping()
            .get("early");
    assertEquals(6, early.line());
    assertEquals("pipeline.trigger.watermark.early", early.path());
    YamlNode event = top.get("stream").list().get(1).mapping().get("event");
    assertEquals(9, event.line());
    assertEquals("stream[1].event", event.path());
    assertEquals("stream[1].event.time", event.mapping().get("time").path());
    assertEquals(List.of("name", "pipeline", "stream"), List.copyOf(top.keys()));
  }

  /** Values stay text as written: bare times are not base-60 numbers, quoting is visible. */
  @Test
  public void valuesStayTextAndQuotingIsVisible() {
    YamlMapping event =
        root(DOC).mapping().get("stream").list().get(1).mapping().get("event").mapping();
    assertEquals("12:00:26", event.get("time").scalar());
    assertEquals("5", event.get("value").scalar());
    assertFalse(event.get("value").isPlain());
    assertTrue(event.get("key").isPlain());
    assertNull(event.get("tag"));
  }

  /** A key given twice is refused at its second occurrence. */
  @Test
  public void duplicateKeyIsRefusedWithFileLineAndPath() {
    YamlException e =
        refusal(
            "pipeline:\n  window: global\n  combine: sum\n  window: {fixed: 2m}\n",
            r -> r.mapping().get("pipeline").mapping());
    assertEquals("s.yaml:4: pipeline.window: duplicate key 'window'", e.getMessage());
    assertEquals("s.yaml", e.file());
    assertEquals(4, e.line());
    assertEquals("pipeline.window", e.path());
    assertEquals("duplicate key 'window'", e.problem());
  }

  /** A key outside the allowed ones is refused, naming the allowed ones in order. */
  @Test
  public void unknownKeyIsRefusedWithFileLineAndPath() {
    YamlException e =
        refusal(DOC, r -> r.mapping().get("pipeline").mapping(Set.of("window", "combine")));
    assertEquals(
        "s.yaml:4: pipeline.trigger: unknown key 'trigger' (expected one of combine, window)",
        e.getMessage());
  }

  /** A list where a value belongs, a value where a mapping belongs, and so on, are refused. */
  @Test
  public void wrongKindOfNodeIsRefusedWithFileLineAndPath() {
    assertEquals(
        "s.yaml:3: pipeline.window: expected a single value, found a mapping",
        refusal(DOC, r -> r.mapping().get("pipeline").mapping().get("window").scalar())
            .getMessage());
    assertEquals(
        "s.yaml:8: stream[0]: expected a list, found a mapping",
        refusal(DOC, r -> r.mapping().get("stream").list().get(0).list()).getMessage());
    assertEquals(
        "s.yaml:1: name: expected a mapping (key: value), found a value",
        refusal(DOC, r -> r.mapping().get("name").mapping()).getMessage());
    assertEquals(
        "s.yaml:1: expected a single value, found a list",
        refusal("? [a, b]\n: 1\n", YamlNode::mapping).getMessage());
  }

  /** A missing required key is reported at the mapping, with the format's hint. */
  @Test
  public void missingKeyIsReportedAtTheMapping() {
    assertEquals(
        "s.yaml:3: pipeline.window: missing 'combine' (sum, count, ...)",
        refusal(
                DOC,
                r ->
                    r.mapping()
                        .get("pipeline")
                        .mapping()
                        .get("window")
                        .mapping()
                        .require("combine", "(sum, count, ...)"))
            .getMessage());
  }

  /** Broken YAML names the line SnakeYAML stopped at and the format; emptiness is an error. */
  @Test
  public void brokenEmptyAndMissingFilesAreRefused() {
    assertEquals(
        "s.yaml:3: not valid YAML or JSON: expected the node content, but found '<stream end>'",
        assertThrows(
                YamlException.class,
                () ->
                    YamlReader.of("YAML or JSON")
                        .read("s.yaml", "start: \"12:00:00\"\nstream: [\n"))
            .getMessage());
    assertEquals(
        "s.yaml: the file is empty",
        assertThrows(YamlException.class, () -> READER.read("s.yaml", "# nothing\n")).getMessage());
    assertEquals(
        "no-such.yaml: no such file",
        assertThrows(YamlException.class, () -> READER.read(Path.of("no-such.yaml"))).getMessage());
  }

  /** A format's own exception type is what every error of the reader and the nodes is. */
  @Test
  public void formatsGetTheirOwnExceptionType() {
    YamlReader reader = YamlReader.of("YAML").withErrors(FormatException::new);
    assertThrows(FormatException.class, () -> reader.read("f.yaml", ""));
    assertThrows(FormatException.class, () -> reader.read("f.yaml", "a: [").root());
    YamlNode root = reader.read("f.yaml", "a: 1\na: 2\n").root();
    assertThrows(FormatException.class, root::mapping);
    assertThrows(FormatException.class, root::list);
    FormatException e = (FormatException) root.document().error(2, "a", "no");
    assertEquals("f.yaml:2: a: no", e.getMessage());
  }

  /** A format's exception: the subclass a reader raises. */
  private static final class FormatException extends YamlException {
    private static final long serialVersionUID = 1L;

    FormatException(String file, int line, String path, String problem) {
      super(file, line, path, problem);
    }
  }
}
