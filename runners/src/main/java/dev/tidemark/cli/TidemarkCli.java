package dev.tidemark.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code bin/tidemark}: lists the subcommands, and turns failures into one clear
 * sentence with the fix, exit code 1 (2 for usage errors). {@code --verbose} adds stack traces.
 */
@Command(
    name = "tidemark",
    mixinStandardHelpOptions = true,
    versionProvider = TidemarkCli.Version.class,
    description = "Event processing and event-driven model serving on Apache Beam.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      PlayCommand.class,
      RetentionCommand.class,
      TrainCommand.class,
      StackCommand.class,
      FlinkClusterCommand.class,
      ReplayCommand.class,
      CanaryCommand.class,
      LambdaViewCommand.class,
      BenchmarkCommand.class,
      ServeCommand.class,
      DeployCommand.class,
      K8sCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TidemarkCli {

  /** Exit code for a usage error: unknown subcommand, pipeline or option. */
  public static final int USAGE_ERROR = 2;

  /** Exit code for a failure while running. */
  public static final int FAILURE = 1;

  @Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces and more detail on errors.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    TidemarkCli cli = new TidemarkCli();
    CommandLine cmd = new CommandLine(cli);
    // Everything after the pipeline name belongs to the pipeline (its Beam options, its --help).
    cmd.getSubcommands().get("run").setStopAtPositional(true);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> report(e, cli.verbose, commandLine.getErr()));
    cmd.setParameterExceptionHandler(
        (e, args2) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("tidemark: " + e.getMessage());
          err.println(
              "  fix: see '"
                  + ("bin/tidemark " + qualifiedName(e.getCommandLine())).strip()
                  + " --help' for the accepted options");
          err.flush();
          return USAGE_ERROR;
        });
    return cmd.execute(args);
  }

  private static String qualifiedName(CommandLine cmd) {
    String name = cmd.getCommandSpec().qualifiedName(" ");
    return name.startsWith("tidemark ") ? name.substring("tidemark ".length()) : "";
  }

  private static int report(Exception e, boolean verbose, PrintWriter err) {
    if (e instanceof UserFacingException u) {
      err.println("tidemark: " + u.getMessage());
      if (u.fix() != null) {
        err.println("  fix: " + u.fix());
      }
      if (verbose && u.getCause() != null) {
        u.getCause().printStackTrace(err);
      }
      err.flush();
      return u.exitCode();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    err.println("tidemark: " + oneLine(root));
    err.println("  fix: run again with --verbose for the stack trace, and check the input above");
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILURE;
  }

  private static String oneLine(Throwable t) {
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }

  /** The version printed by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TidemarkCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "tidemark " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Apache Beam 2.70.0)"
      };
    }
  }
}
