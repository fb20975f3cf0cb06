package dev.tidemark.runners;

import static org.junit.Assert.assertEquals;

import dev.tidemark.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The layout rules that keep pipelines portable: runner choice never inside transforms or
 * pipelines, and no use of Beam's vendored (internal) libraries anywhere.
 */
public class ArchitectureTest {

  /** transforms/ and pipelines/ import nothing from org.apache.beam.runners. */
  @Test
  public void transformsAndPipelinesNeverImportARunner() throws IOException {
    assertEquals(
        List.of(),
        offendingLines(List.of("transforms", "pipelines"), "import org.apache.beam.runners."));
  }

  /** No module imports Beam's vendored Guava or other vendored code. */
  @Test
  public void nothingImportsBeamsVendoredLibraries() throws IOException {
    assertEquals(
        List.of(),
        offendingLines(
            List.of("transforms", "pipelines", "runners", "serving", "testing"),
            "import org.apache.beam.vendor."));
  }

  private static List<String> offendingLines(List<String> modules, String prefix)
      throws IOException {
    List<String> offending = new ArrayList<>();
    Path root = SampleData.repositoryRoot();
    for (String module : modules) {
      Path src = root.resolve(module).resolve("src");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          for (String line : Files.readAllLines(f)) {
            if (line.startsWith(prefix)
                || line.startsWith("import static " + prefix.substring(7))) {
              offending.add(root.relativize(f) + ": " + line);
            }
          }
        }
      }
    }
    return offending;
  }
}
