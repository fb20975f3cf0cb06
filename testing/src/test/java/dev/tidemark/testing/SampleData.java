package dev.tidemark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the data shipped in the repository (the Chicago taxi sample under {@code
 * data/chicago-taxi/}) from whichever module directory a test runs in.
 */
public final class SampleData {

  private SampleData() {}

  /** The repository's root: the nearest ancestor of the working directory holding {@code data/}. */
  public static Path repositoryRoot() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("data/chicago-taxi")) && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no data/chicago-taxi/ above " + dir);
  }

  /** The 12,002-trip Chicago taxi sample, with its header line. */
  public static Path taxiTrips() {
    return repositoryRoot().resolve("data/chicago-taxi/trips.csv");
  }
}
