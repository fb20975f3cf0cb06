package dev.tidemark.runners.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One server of the local stack, run as a separate JVM whose id is kept in a pid file under the
 * stack's data directory, so that a later {@code bin/tidemark stack down} (another process) finds
 * and stops it. Subclasses say how to configure, start and probe their server.
 */
abstract class ServerProcess {

  /** The result of one health probe: whether the server answered, and what it said. */
  record Health(boolean up, String detail) {}

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Path repositoryRoot;
  private final Path dataDir;
  private final String name;

  /**
   * @param repositoryRoot the Tidemark checkout (holds {@code runners/stack/*})
   * @param dataDir the data directory this server's directory lives in
   * @param name the server's short name, also its directory's name
   */
  ServerProcess(Path repositoryRoot, Path dataDir, String name) {
    this.repositoryRoot = repositoryRoot;
    this.dataDir = dataDir;
    this.name = name;
  }

  /** Short name: {@code kafka}, {@code s3}, {@code flink-jobmanager}, ... */
  final String name() {
    return name;
  }

  /** This server's directory under the stack's data directory. */
  final Path dir() {
    return dataDir.resolve(name);
  }

  final Path logFile() {
    return dir().resolve("server.log");
  }

  private Path pidFile() {
    return dir().resolve("server.pid");
  }

  /** What clients connect to, e.g. {@code 127.0.0.1:9092}. */
  abstract String endpoint();

  /** The loopback ports this server binds. */
  abstract List<Integer> ports();

  /** The Java main class of the server. */
  abstract String mainClass();

  /** JVM options (heap, logging configuration). */
  abstract List<String> jvmOptions();

  /** Program arguments. */
  abstract List<String> arguments();

  /** The classpath directory name under {@code runners/stack/}. */
  abstract String classpathName();

  /** Writes configuration files and prepares storage before a start. */
  abstract void prepare(String classpath) throws IOException, InterruptedException;

  /** Asks the running server whether it serves requests; must return within a few seconds. */
  abstract Health probe();

  /** The server's working directory: its own directory unless a server needs another. */
  Path workingDirectory() {
    return dir();
  }

  /** The environment variables that choose this server's ports, for error messages. */
  String portVariables() {
    return "TIDEMARK_KAFKA_PORT, TIDEMARK_KAFKA_CONTROLLER_PORT, TIDEMARK_S3_PORT";
  }

  /** The command that restarts this server, for error messages. */
  String restartCommand() {
    return "bin/tidemark stack down and up again";
  }

  /** How long a start may take before it is given up. */
  abstract Duration startTimeout();

  /** A system property naming this server and its data directory, to recognise the process. */
  private String marker() {
    return "-Dtidemark.server=" + name + "@" + dataDir;
  }

  /** The live process recorded in the pid file, if it is still this server. */
  final Optional<ProcessHandle> running() {
    if (!Files.exists(pidFile())) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile()).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isThisServer);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean isThisServer(ProcessHandle p) {
    // Guards against a recycled pid: the command line must carry our marker (it comes first,
    // because Linux shows only the first 4 KiB of a command line and the classpath is long).
    return p.info().commandLine().map(c -> c.contains(marker())).orElse(false);
  }

  /**
   * Starts the server unless it already runs; does not wait for it (see {@link #awaitHealthy}).
   *
   * @return the process, new or already running
   */
  final ProcessHandle start() throws IOException, InterruptedException {
    Optional<ProcessHandle> existing = running();
    if (existing.isPresent()) {
      return existing.get();
    }
    for (int port : ports()) {
      if (inUse(port)) {
        throw new StackException(
            "port " + port + " (" + name + ") is in use by a process this stack did not start",
            "stop that process, or choose other ports (" + portVariables() + ")");
      }
    }
    Files.createDirectories(dir());
    String classpath = ServerClasspath.of(repositoryRoot, classpathName());
    prepare(classpath);
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Paths.get("/usr/bin/setsid"))) {
      // Own session: a Ctrl-C in the terminal that ran `stack up` does not reach the server.
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(javaExecutable());
    cmd.add(marker());
    cmd.addAll(jvmOptions());
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass());
    cmd.addAll(arguments());
    Files.deleteIfExists(logFile());
    Process p =
        new ProcessBuilder(cmd)
            .directory(workingDirectory().toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Files.writeString(pidFile(), Long.toString(p.pid()) + "\n", StandardCharsets.UTF_8);
    return p.toHandle();
  }

  /** Polls {@link #probe()} until the server answers, the process dies, or the timeout passes. */
  final Health awaitHealthy(ProcessHandle process) throws InterruptedException {
    long deadline = System.nanoTime() + startTimeout().toNanos();
    Health last = new Health(false, "not probed yet");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new StackException(
            name + " server exited during start-up: " + lastLines(3),
            "read " + logFile() + " for the cause");
      }
      last = probe();
      if (last.up()) {
        return last;
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new StackException(
        name
            + " did not answer within "
            + startTimeout().toSeconds()
            + " s ("
            + last.detail()
            + ")",
        "read " + logFile() + ", then run " + restartCommand());
  }

  /** Stops the server if it runs: SIGTERM, then SIGKILL after a grace period. */
  final boolean stop() throws InterruptedException {
    Optional<ProcessHandle> p = running();
    if (p.isEmpty()) {
      deletePidFile();
      return false;
    }
    ProcessHandle h = p.get();
    h.destroy();
    try {
      h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      h.destroyForcibly();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e2) {
        throw new StackException(
            name + " server (pid " + h.pid() + ") does not stop",
            "kill it by its pid: kill -9 " + h.pid());
      }
    }
    deletePidFile();
    return true;
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code n} lines of the server's log, joined with " | ". */
  final String lastLines(int n) {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static boolean inUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a short-lived tool on this server's classpath; returns its output. */
  final String runTool(List<String> jvmOptions, String main, List<String> args)
      throws IOException, InterruptedException {
    Files.createDirectories(dir());
    return runTool(ServerClasspath.of(repositoryRoot, classpathName()), jvmOptions, main, args);
  }

  /** Runs a short-lived tool on {@code classpath}, fails with its output if it fails. */
  final String runTool(String classpath, List<String> jvmOptions, String main, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(main);
    cmd.addAll(args);
    Path out = dir().resolve("tool.log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new StackException(main + " did not finish in 300 s", "read " + out);
    }
    if (p.exitValue() != 0) {
      throw new StackException(
          main + " failed (exit " + p.exitValue() + "): " + Files.readString(out).strip(),
          "read " + out + "; removing " + dir() + " resets this server's data");
    }
    return Files.readString(out);
  }
}
