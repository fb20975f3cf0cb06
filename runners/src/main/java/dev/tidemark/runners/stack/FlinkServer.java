package dev.tidemark.runners.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of the standalone Flink session cluster (JobManager or TaskManager), started the way
 * Flink's own {@code bin/*.sh} scripts start it: write {@code conf/config.yaml}, ask Flink's {@code
 * BashJavaUtils} for the JVM memory flags and the derived {@code -D} settings, then run the
 * entrypoint with {@code --configDir conf} and those settings. Without the derived settings a
 * TaskManager dies at once ("taskmanager.cpu.cores is not set").
 */
abstract class FlinkServer extends ServerProcess {

  /** The flags Flink 1.19's default configuration passes on Java 17 ({@code env.java.opts.all}). */
  static final List<String> JAVA_17_FLAGS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
  private static final Pattern SLOTS = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)");
  private static final Pattern RUNNING = Pattern.compile("\"jobs-running\"\\s*:\\s*(\\d+)");
  private static final Pattern FINISHED = Pattern.compile("\"jobs-finished\"\\s*:\\s*(\\d+)");

  final FlinkSettings settings;

  /** Filled by {@link #prepare}: memory flags from BashJavaUtils. */
  private List<String> memoryFlags = List.of();

  /** Filled by {@link #prepare}: {@code -D key=value} settings from BashJavaUtils. */
  private List<String> derivedSettings = List.of();

  FlinkServer(FlinkSettings settings, String name) {
    super(settings.repositoryRoot(), settings.dataDir(), name);
    this.settings = settings;
  }

  /** {@code GET_JM_RESOURCE_PARAMS} or {@code GET_TM_RESOURCE_PARAMS}. */
  abstract String resourceCommand();

  @Override
  final String classpathName() {
    return "flink";
  }

  @Override
  final String endpoint() {
    return settings.restUrl();
  }

  @Override
  final String portVariables() {
    return "TIDEMARK_FLINK_REST_PORT, TIDEMARK_FLINK_RPC_PORT, TIDEMARK_FLINK_BLOB_PORT";
  }

  @Override
  final String restartCommand() {
    return "bin/tidemark flink-cluster down and up again";
  }

  @Override
  Duration startTimeout() {
    return Duration.ofSeconds(90);
  }

  /**
   * The repository root, as for {@code bin/tidemark} itself: a job's relative paths (Beam resolves
   * input patterns on the cluster, not in the submitting process) then mean the same on the cluster
   * as on DirectRunner. Flink's own files go to {@code io.tmp.dirs} under {@link #dir()}.
   */
  @Override
  final Path workingDirectory() {
    return settings.repositoryRoot();
  }

  final Path confDir() {
    return dir().resolve("conf");
  }

  @Override
  final List<String> jvmOptions() {
    List<String> opts = new ArrayList<>(memoryFlags);
    opts.addAll(JAVA_17_FLAGS);
    opts.add("-Djava.awt.headless=true");
    opts.add("-Dlog4j.configurationFile=file:" + confDir().resolve("log4j2.properties"));
    opts.add("-Dlog.file=" + logFile());
    return opts;
  }

  @Override
  final List<String> arguments() {
    List<String> args = new ArrayList<>(List.of("--configDir", confDir().toString()));
    args.addAll(derivedSettings);
    return args;
  }

  @Override
  final void prepare(String classpath) throws IOException, InterruptedException {
    Files.createDirectories(confDir());
    Path tmp = Files.createDirectories(dir().resolve("tmp"));
    Files.writeString(
        confDir().resolve("config.yaml"),
        String.join(
            "\n",
            "# Written by Tidemark's FlinkCluster on every start; edit FlinkSettings instead.",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + settings.rpcPort(),
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.memory.process.size: 1024m",
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.memory.process.size: 1728m",
            "taskmanager.numberOfTaskSlots: 2",
            "parallelism.default: 1",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + settings.restPort(),
            "blob.server.port: " + settings.blobPort(),
            "io.tmp.dirs: " + tmp,
            "web.tmpdir: " + tmp,
            "web.submit.enable: false",
            "web.cancel.enable: true",
            ""));
    Files.writeString(
        confDir().resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = WARN",
            "rootLogger.appenderRef.console.ref = Console",
            "appender.console.name = Console",
            "appender.console.type = CONSOLE",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n",
            "# Start-up, registration and job state changes stay visible.",
            "logger.entry.name = org.apache.flink.runtime.entrypoint",
            "logger.entry.level = INFO",
            "logger.tm.name = org.apache.flink.runtime.taskexecutor.TaskExecutor",
            "logger.tm.level = INFO",
            "logger.jobs.name = org.apache.flink.runtime.dispatcher.StandaloneDispatcher",
            "logger.jobs.level = INFO",
            "# One warning per Beam step whose name exceeds 80 characters: most of them.",
            "logger.metricnames.name = org.apache.flink.metrics.MetricGroup",
            "logger.metricnames.level = ERROR",
            ""));
    String out =
        runTool(
            classpath,
            List.of(
                "-Xmx128m",
                "-Dlog4j.configurationFile=file:" + confDir().resolve("log4j2.properties")),
            "org.apache.flink.runtime.util.bash.BashJavaUtils",
            List.of(resourceCommand(), "--configDir", confDir().toString()));
    List<String> results =
        out.lines()
            .filter(l -> l.startsWith(RESULT_PREFIX))
            .map(l -> l.substring(RESULT_PREFIX.length()).strip())
            .toList();
    if (results.size() < 2) {
      throw new StackException(
          "Flink's BashJavaUtils printed no memory settings for " + name() + ": " + out.strip(),
          "read " + dir().resolve("tool.log"));
    }
    // Last two results: the JVM flags, then the derived settings as "-D key=value ..." pairs.
    memoryFlags = split(results.get(results.size() - 2));
    derivedSettings = split(results.get(results.size() - 1));
  }

  private static List<String> split(String line) {
    return line.isBlank() ? List.of() : Arrays.asList(line.trim().split("\\s+"));
  }

  /** Asks the JobManager's REST API for {@code /overview}; null when it does not answer. */
  final String overview() {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(settings.restUrl() + "/overview"))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static int field(Pattern p, String json) {
    Matcher m = p.matcher(json);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** {@code "1 taskmanager(s), 2 slot(s), 0 job(s) running, 3 finished"}. */
  static String describe(String overview) {
    return field(TASK_MANAGERS, overview)
        + " taskmanager(s), "
        + field(SLOTS, overview)
        + " slot(s), "
        + field(RUNNING, overview)
        + " job(s) running, "
        + field(FINISHED, overview)
        + " finished";
  }

  static int taskManagers(String overview) {
    return field(TASK_MANAGERS, overview);
  }
}
