package dev.tidemark.cli;

import dev.tidemark.runners.stack.LocalStack;
import dev.tidemark.runners.stack.StackException;
import java.io.PrintWriter;
import java.util.function.Supplier;

/** What the local-server commands ({@code stack}, {@code flink-cluster}) share. */
final class ServerStatusTable {
  private ServerStatusTable() {}

  /** One line per server (name, health, pid, endpoint, detail), then the data directory. */
  static void print(PrintWriter out, LocalStack.Status status, int nameWidth) {
    String row = "%-" + nameWidth + "s %-9s %-11s %-24s %s%n";
    for (LocalStack.ServerStatus s : status.servers()) {
      out.printf(
          row,
          s.name(),
          !s.running() ? "stopped" : s.healthy() ? "healthy" : "unhealthy",
          s.running() ? "pid " + s.pid() : "-",
          s.endpoint(),
          s.detail());
    }
    out.printf("%-" + nameWidth + "s %s%n", "data", status.dataDir());
  }

  /** Runs {@code action}, turning a stack failure into one sentence and its fix. */
  static <T> T guard(Supplier<T> action) {
    try {
      return action.get();
    } catch (StackException e) {
      throw new UserFacingException(e.getMessage(), e.fix(), TidemarkCli.FAILURE, e);
    }
  }
}
