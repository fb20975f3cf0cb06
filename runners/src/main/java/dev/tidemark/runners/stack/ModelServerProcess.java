package dev.tidemark.runners.stack;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Tidemark model server ({@code dev.tidemark.serving.Main}) in its own JVM on the serving
 * module's Beam-free runtime classpath: the one launcher of the server, used by {@code bin/tidemark
 * serve} (in the foreground, {@link Launch#run()}), the demo and the integration tests (in the
 * background on a free loopback port, {@link Launch#start()}). Vert.x is kept off the runners
 * classpath, so nothing here starts it in-process. Flags not given are the server's own defaults
 * ({@code ServerConfig}). {@link #close()} stops it (SIGTERM, then SIGKILL after 20 s).
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
   * Starts a server on {@code repository} (a directory or s3://…) on a free port and waits until it
   * is ready.
   *
   * @param log where its stderr goes
   * @param pollSeconds how often it looks for new versions (0 = never)
   * @param environment extra environment variables, e.g. {@code AWS_ENDPOINT_URL}
   */
  public static ModelServerProcess start(
      String repository, Path log, long pollSeconds, Map<String, String> environment)
      throws Exception {
    return launch(repository)
        .option("--port", "0")
        .option("--poll-seconds", Long.toString(pollSeconds))
        .option("--event-loops", "1")
        .javaOptions("-Xmx256m")
        .environment(environment)
        .errorsTo(log)
        .start();
  }

  /** A launch of the server on {@code repository}, to be given more flags of {@code Main}. */
  public static Launch launch(String repository) {
    return new Launch(repository);
  }

  /** How to launch one server process: {@code Main}'s flags, JVM options, environment, stderr. */
  public static final class Launch {
    private final List<String> flags = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> javaOptions = new ArrayList<>();
    private Path errors;

    private Launch(String repository) {
      option("--repository", repository);
    }

    /** A flag of {@code serving.Main} with its value, e.g. {@code --port 8080}. */
    public Launch option(String flag, String value) {
      flags.add(flag);
      flags.add(value);
      return this;
    }

    /** JVM options, whitespace-separated ({@code -Xmx1g}). */
    public Launch javaOptions(String options) {
      for (String o : options.strip().split("\\s+")) {
        if (!o.isEmpty()) {
          javaOptions.add(o);
        }
      }
      return this;
    }

    /** Environment variables of the server (S3 settings, the bearer token's variable). */
    public Launch environment(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    /** Sends the server's stderr to {@code log} (by default it is inherited). */
    public Launch errorsTo(Path log) {
      this.errors = log;
      return this;
    }

    /** The command line. */
    public List<String> command() {
      Path serving = StackSettings.findRepositoryRoot().resolve("serving").resolve("target");
      Path classpathFile = serving.resolve("runtime-classpath.txt");
      if (!Files.isRegularFile(classpathFile)) {
        throw new IllegalStateException(
            "the model server is not built ("
                + classpathFile
                + " is missing): build with mvn -B -DskipTests package -pl runners -am");
      }
      String classpath;
      try {
        classpath =
            serving.resolve("classes").toAbsolutePath()
                + File.pathSeparator
                + Files.readString(classpathFile).strip();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(javaOptions);
      Path log4j = StackSettings.findRepositoryRoot().resolve("runners/target/classes/log4j2.xml");
      if (Files.isRegularFile(log4j)) {
        command.add("-Dlog4j2.configurationFile=" + log4j);
      }
      command.addAll(List.of("-cp", classpath, "dev.tidemark.serving.Main"));
      command.addAll(flags);
      return command;
    }

    private ProcessBuilder builder() {
      ProcessBuilder pb = new ProcessBuilder(command());
      pb.environment().putAll(environment);
      if (errors != null) {
        pb.redirectError(errors.toFile());
      } else {
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      }
      return pb;
    }

    /**
     * Runs the server in the foreground, its output on this terminal, until it exits; Ctrl-C or
     * SIGTERM here drain it gracefully.
     *
     * @return its exit code
     */
    public int run() throws IOException, InterruptedException {
      Process server = builder().redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      Thread stopper =
          new Thread(
              () -> {
                server.destroy();
                try {
                  if (!server.waitFor(15, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                  }
                } catch (InterruptedException e) {
                  server.destroyForcibly();
                }
              },
              "stop-model-server");
      Runtime.getRuntime().addShutdownHook(stopper);
      int code = server.waitFor();
      Runtime.getRuntime().removeShutdownHook(stopper);
      return code;
    }

    /** Starts the server in the background and waits until it is ready. */
    public ModelServerProcess start() throws Exception {
      Process process = builder().start();
      try {
        // Main prints its URL on stdout once it listens; null when it exited first.
        BufferedReader out =
            new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        String url = out.readLine();
        if (url == null) {
          throw new IllegalStateException(
              "the model server exited before listening"
                  + (errors == null ? "" : ": " + Files.readString(errors)));
        }
        ModelServerProcess server = new ModelServerProcess(process, url.strip());
        server.awaitReady();
        return server;
      } catch (Exception | Error e) {
        process.destroyForcibly();
        throw e;
      }
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
