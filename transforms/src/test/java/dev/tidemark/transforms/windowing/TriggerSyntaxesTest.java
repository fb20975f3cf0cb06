package dev.tidemark.transforms.windowing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.yaml.YamlNode;
import dev.tidemark.core.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * The two ways of writing a trigger — the text form and the scenario files' YAML — read through one
 * vocabulary: every trigger means the same spec and is refused with the same words in both.
 */
public class TriggerSyntaxesTest {

  /** Each trigger text of the transforms tests, beside the same trigger in scenario YAML. */
  private static final String[][] TEXT_AND_YAML = {
    {"default", "default"},
    {"never", "never"},
    {"watermark", "watermark"},
    {"watermark", "{watermark: }"},
    {"count(3)", "{after-count: 3}"},
    {"tag(checkout)", "{on-tag: checkout}"},
    {"tag(x)", "{on-tag: x}"},
    {"processing(1m)", "{after-processing: 1m}"},
    {
      "processing(2m, aligned=2026-01-01T12:05:00.000Z)",
      "{after-processing: 2m, aligned-to: \"2026-01-01T12:05:00.000Z\"}"
    },
    {
      "processing(2m, aligned=2026-01-01T12:05:00Z)",
      "{after-processing: 2m, aligned-to: \"2026-01-01T12:05:00Z\"}"
    },
    {"repeat(count(3))", "{repeat: {after-count: 3}}"},
    {"repeat(tag(checkout))", "{repeat: {on-tag: checkout}}"},
    {
      "repeat(first(count(2), processing(1m)))",
      "{repeat: {first: [{after-count: 2}, {after-processing: 1m}]}}"
    },
    {
      "repeat(first(count(3), tag(checkout)))",
      "{repeat: {first: [{after-count: 3}, {on-tag: checkout}]}}"
    },
    {"all(count(2), processing(1m))", "{all: [{after-count: 2}, {after-processing: 1m}]}"},
    {
      "sequence(count(2), repeat(count(1)))",
      "{sequence: [{after-count: 2}, {repeat: {after-count: 1}}]}"
    },
    {"repeat(count(2)).until(watermark)", "{repeat: {after-count: 2}, until: watermark}"},
    {"watermark(early=count(25))", "{watermark: {early: {after-count: 25}}}"},
    {"watermark(early=processing(1m))", "{watermark: {early: {after-processing: 1m}}}"},
    {
      "watermark(early=processing(1m), late=count(1))",
      "{watermark: {early: {after-processing: 1m}, late: {after-count: 1}}}"
    },
    {"watermark(late=count(1))", "{watermark: {late: {after-count: 1}}}"},
    {"watermark(early=tag(checkout))", "{watermark: {early: {on-tag: checkout}}}"},
    {"watermark(early=tag(end))", "{watermark: {early: {on-tag: end}}}"},
    {"watermark(early=tag(flush))", "{watermark: {early: {on-tag: flush}}}"},
    {
      "watermark(early=tag(flush), late=count(1))",
      "{watermark: {early: {on-tag: flush}, late: {after-count: 1}}}"
    },
    {
      "watermark(early=tag(never-present), late=count(1))",
      "{watermark: {early: {on-tag: never-present}, late: {after-count: 1}}}"
    },
    {
      "watermark(early=first(tag(flush), count(3)), late=count(1))",
      "{watermark: {early: {first: [{on-tag: flush}, {after-count: 3}]}, late: {after-count: 1}}}"
    },
  };

  /** The YAML trigger of a one-key document {@code trigger: <yaml>}, at path "trigger". */
  private static YamlNode yaml(String trigger) {
    return YamlReader.of("YAML")
        .read("t.yaml", "trigger: " + trigger + "\n")
        .root()
        .mapping()
        .get("trigger");
  }

  /** Every trigger the text tests use reads, in YAML, as an equal spec that prints the same. */
  @Test
  public void everyTextTriggerOfTheTestsIsTheSameSpecInYaml() {
    for (String[] pair : TEXT_AND_YAML) {
      TriggerSpec fromText = TriggerSpec.parse(pair[0]);
      TriggerSpec fromYaml = TriggerSpec.parse(yaml(pair[1]));
      assertEquals(pair[1], fromText, fromYaml);
      assertEquals(pair[1], fromText.toString(), fromYaml.toString());
    }
  }

  /**
   * Two thousand random triggers, each written in both syntaxes by a small test-side printer, read
   * as the spec built directly with TriggerSpec's constructors.
   */
  @Test
  public void randomTriggersReadTheSameInBothSyntaxes() {
    Random random = new Random(13);
    for (int i = 0; i < 2_000; i++) {
      Written t = random(random, 3);
      assertEquals(t.text(), t.spec(), TriggerSpec.parse(t.text()));
      assertEquals(t.yaml(), t.spec(), TriggerSpec.parse(yaml(t.yaml())));
    }
  }

  /** A bad value is refused with the same words in both syntaxes, each at its own place. */
  @Test
  public void badValuesAreRefusedWithTheSameWords() {
    assertRefused(
        "count(0)",
        "{after-count: 0}",
        "bad trigger 'count(0)' at character 7: ",
        "t.yaml:1: trigger.after-count: ",
        "count trigger needs at least 1 element, got 0");
    assertRefused(
        "repeat(count(three))",
        "{repeat: {after-count: three}}",
        "bad trigger 'repeat(count(three))' at character 14: ",
        "t.yaml:1: trigger.repeat.after-count: ",
        "'three' is not a whole number of elements");
    assertRefused(
        "watermark(early=processing(1 minute))",
        "{watermark: {early: {after-processing: 1 minute}}}",
        "bad trigger 'watermark(early=processing(1 minute))' at character 28: ",
        "t.yaml:1: trigger.watermark.early.after-processing: ",
        "not a duration: '1 minute' (expected a whole number and a unit: ms, s, m, h, d)");
    assertRefused(
        "processing(2m, aligned=noon)",
        "{after-processing: 2m, aligned-to: noon}",
        "bad trigger 'processing(2m, aligned=noon)' at character 24: ",
        "t.yaml:1: trigger.aligned-to: ",
        "'noon' is not an ISO-8601 instant such as 2026-01-01T12:05:00Z");
  }

  /** Unknown words are refused naming the words of the syntax at hand. */
  @Test
  public void unknownWordsAreRefusedInTheSyntaxesOwnSpelling() {
    assertEquals(
        "bad trigger 'after-count(3)' at character 12: unknown trigger 'after-count' (expected"
            + " default, never, watermark, count, processing, tag, repeat, first, all, sequence)",
        refusal(() -> TriggerSpec.parse("after-count(3)")));
    assertEquals(
        "t.yaml:1: trigger: unknown trigger 'count' (expected default, never, watermark, or a"
            + " mapping such as {after-count: 3})",
        refusal(() -> TriggerSpec.parse(yaml("count"))));
    assertEquals(
        "bad trigger 'watermark(middle=count(1))' at character 17: watermark takes early= and"
            + " late=, not middle=",
        refusal(() -> TriggerSpec.parse("watermark(middle=count(1))")));
  }

  /** YAML's own structure: one word per mapping, keywords beside the word they belong to. */
  @Test
  public void yamlStructureIsCheckedWithFileLineAndPath() {
    assertEquals(
        "t.yaml:1: trigger: a trigger has exactly one of watermark, after-count, after-processing,"
            + " on-tag, repeat, first, all, sequence; found []",
        refusal(() -> TriggerSpec.parse(yaml("{until: watermark}"))));
    assertEquals(
        "t.yaml:1: trigger: 'aligned-to' belongs to after-processing",
        refusal(() -> TriggerSpec.parse(yaml("{after-count: 3, aligned-to: \"12:01\"}"))));
    assertEquals(
        "t.yaml:1: trigger.first: an empty list of triggers",
        refusal(() -> TriggerSpec.parse(yaml("{first: []}"))));
    assertEquals(
        "t.yaml:1: trigger.watermark.middle: unknown key 'middle' (expected one of early, late)",
        refusal(() -> TriggerSpec.parse(yaml("{watermark: {middle: {after-count: 1}}}"))));
  }

  private static void assertRefused(
      String text, String yaml, String textPlace, String yamlPlace, String problem) {
    assertEquals(textPlace + problem, refusal(() -> TriggerSpec.parse(text)));
    assertEquals(yamlPlace + problem, refusal(() -> TriggerSpec.parse(yaml(yaml))));
  }

  private static String refusal(org.junit.function.ThrowingRunnable parse) {
    return assertThrows(IllegalArgumentException.class, parse).getMessage();
  }

  // ----- a random trigger, written both ways by the test itself -----

  /** One trigger: the spec it stands for, its text and its YAML. */
  private record Written(TriggerSpec spec, String text, String yaml) {}

  private static final String[] TAGS = {"checkout", "flush", "end", "never-present"};
  private static final String[] UNITS = {"ms", "s", "m", "h", "d"};
  private static final long[] UNIT_MILLIS = {1L, 1_000L, 60_000L, 3_600_000L, 86_400_000L};

  private static Written random(Random r, int depth) {
    int choice = r.nextInt(depth <= 0 ? 6 : 11);
    return switch (choice) {
      case 0 -> new Written(TriggerSpec.defaultTrigger(), "default", "default");
      case 1 -> new Written(TriggerSpec.never(), "never", "never");
      case 2 -> new Written(TriggerSpec.watermark(), "watermark", "watermark");
      case 3 -> {
        int n = 1 + r.nextInt(100);
        yield new Written(
            TriggerSpec.afterCount(n), "count(" + n + ")", "{after-count: " + n + "}");
      }
      case 4 -> {
        String tag = TAGS[r.nextInt(TAGS.length)];
        yield new Written(TriggerSpec.onTag(tag), "tag(" + tag + ")", "{on-tag: " + tag + "}");
      }
      case 5 -> processing(r);
      case 6 -> {
        Written child = random(r, depth - 1);
        yield new Written(
            TriggerSpec.repeat(child.spec()),
            "repeat(" + child.text() + ")",
            "{repeat: " + child.yaml() + "}");
      }
      case 7, 8 -> {
        List<Written> children = new ArrayList<>();
        for (int i = 0; i <= r.nextInt(3); i++) {
          children.add(random(r, depth - 1));
        }
        String word = choice == 7 ? "first" : r.nextBoolean() ? "all" : "sequence";
        List<TriggerSpec> specs = children.stream().map(Written::spec).toList();
        TriggerSpec spec =
            switch (word) {
              case "first" -> new TriggerSpec.First(specs);
              case "all" -> new TriggerSpec.All(specs);
              default -> new TriggerSpec.Sequence(specs);
            };
        yield new Written(
            spec,
            word + "(" + String.join(", ", children.stream().map(Written::text).toList()) + ")",
            "{"
                + word
                + ": ["
                + String.join(", ", children.stream().map(Written::yaml).toList())
                + "]}");
      }
      case 9 -> {
        Written early = r.nextBoolean() ? random(r, depth - 1) : null;
        Written late = early == null || r.nextBoolean() ? random(r, depth - 1) : null;
        List<String> text = new ArrayList<>();
        List<String> yaml = new ArrayList<>();
        if (early != null) {
          text.add("early=" + early.text());
          yaml.add("early: " + early.yaml());
        }
        if (late != null) {
          text.add("late=" + late.text());
          yaml.add("late: " + late.yaml());
        }
        yield new Written(
            TriggerSpec.watermark(
                early == null ? null : early.spec(), late == null ? null : late.spec()),
            "watermark(" + String.join(", ", text) + ")",
            "{watermark: {" + String.join(", ", yaml) + "}}");
      }
      default -> {
        // T.until(U): YAML writes until beside a word with arguments.
        Written main = random(r, depth - 1);
        while (!main.yaml().startsWith("{") || main.yaml().contains("until:")) {
          main = random(r, depth - 1);
        }
        Written until = random(r, depth - 1);
        yield new Written(
            new TriggerSpec.Until(main.spec(), until.spec()),
            main.text() + ".until(" + until.text() + ")",
            main.yaml().substring(0, main.yaml().length() - 1) + ", until: " + until.yaml() + "}");
      }
    };
  }

  private static Written processing(Random r) {
    int u = r.nextInt(UNITS.length);
    long n = 1 + r.nextInt(1000);
    Duration delay = Duration.millis(n * UNIT_MILLIS[u]);
    String d = n + UNITS[u];
    if (r.nextBoolean()) {
      return new Written(
          TriggerSpec.afterProcessing(delay),
          "processing(" + d + ")",
          "{after-processing: " + d + "}");
    }
    Instant aligned = new Instant(1_767_225_600_000L + r.nextInt(86_400) * 1000L);
    return new Written(
        TriggerSpec.afterProcessingAligned(delay, aligned),
        "processing(" + d + ", aligned=" + aligned + ")",
        "{after-processing: " + d + ", aligned-to: \"" + aligned + "\"}");
  }
}
