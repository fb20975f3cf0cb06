package dev.tidemark.runners.stack;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Tidemark model server ({@code dev.tidemark.serving.Main}) in its own JVM on the serving
 * module's Beam-free runtime classpath, as {@code bin/tidemark serve} runs it, on a free loopback
 * port: Vert.x is kept off the runners classpath, so nothing here starts it in-process (the demo
 * and the integration tests use this). {@link #close()} stops it (SIGTERM, then SIGKILL after 20
 * s).
 */
public final class ModelServerProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final String url;

  private ModelServerProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts a server on the repository {@code repository} (a directory), never polling it, and waits
   * until it is ready.
   *
   * @param log where its stderr goes
   */
  public static ModelServerProcess start(String repository, Path log) throws Exception {
    return start(repository, log, 0, Map.of());
  }

  /**
   * Starts a server on {@code repository} (a directory or s3://…) and waits until it is ready.
   *
   * @param log where its stderr goes
   * @param pollSeconds how often it looks for new versions (0 = never)
   * @param environment extra environment variables, e.g. {@code AWS_ENDPOINT_URL}
   */
  public static ModelServerProcess start(
      String repository, Path log, long pollSeconds, Map<String, String> environment)
      throws Exception {
    Path serving = StackSettings.findRepositoryRoot().resolve("serving").resolve("target");
    Path classpathFile = serving.resolve("runtime-classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile + " is missing: build with -pl runners -am so that serving is built");
    }
    String classpath =
        serving.resolve("classes").toAbsolutePath()
            + File.pathSeparator
            + Files.readString(classpathFile).strip();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                classpath,
                "dev.tidemark.serving.Main",
                "--repository",
                repository,
                "--port",
                "0",
                "--poll-seconds",
                Long.toString(pollSeconds),
                "--event-loops",
                "1"));
    pb.environment().putAll(environment);
    pb.redirectError(log.toFile());
    Process process = pb.start();
    try {
      // Main prints its URL on stdout once it listens; null when it exited first.
      BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
      String url = out.readLine();
      if (url == null) {
        throw new IllegalStateException(
            "the model server exited before listening: " + Files.readString(log));
      }
      ModelServerProcess server = new ModelServerProcess(process, url.strip());
      server.awaitReady();
      return server;
    } catch (Exception | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** The V2 infer URL of {@code model} (at {@code version} when not null). */
  public String inferUrl(String model, String version) {
    return url + "/v2/models/" + model + (version == null ? "" : "/versions/" + version) + "/infer";
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/v2/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the model server exited while starting");
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the model server at " + url + " is not ready after 60 s");
  }

  /** Stops the server gracefully (it drains in-flight requests) and waits for its exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
