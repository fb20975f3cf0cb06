package dev.tidemark.runners.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classpath of a stack server, as written by the build into {@code
 * runners/stack/<name>/target/classpath.txt} (Maven resolves the server's jars from Maven Central).
 * If the file is missing, for instance after {@code mvn clean} of that module alone, it runs that
 * small Maven project once to write it.
 */
final class ServerClasspath {

  private ServerClasspath() {}

  static String of(Path repositoryRoot, String name) throws IOException, InterruptedException {
    Path project = repositoryRoot.resolve("runners/stack").resolve(name);
    Path file = project.resolve("target/classpath.txt");
    if (!Files.exists(file)) {
      Path log = Files.createTempFile("tidemark-stack-" + name, ".log");
      List<String> cmd =
          List.of(
              "mvn",
              "-B",
              "-q",
              "-f",
              project.resolve("pom.xml").toString(),
              "-Dspotless.check.skip=true",
              "generate-resources");
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new StackException(
            "the " + name + " server's classpath is not built and Maven is not available",
            "install Maven 3.8+ and run: mvn -B -DskipTests package -pl runners -am",
            e);
      }
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.exists(file)) {
        p.destroyForcibly();
        throw new StackException(
            "resolving the " + name + " server's jars with Maven failed (log: " + log + ")",
            "run: mvn -B -DskipTests package -pl runners -am, and check the network to Maven"
                + " Central");
      }
      Files.deleteIfExists(log);
    }
    String cp = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (cp.isEmpty()) {
      throw new StackException(
          file + " is empty", "run: mvn -B -DskipTests package -pl runners -am");
    }
    return cp;
  }
}
