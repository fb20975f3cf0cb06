package dev.tidemark.cli;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows that long work is alive: a line on standard error when it starts, then every few seconds
 * the elapsed time, and the total when it stops.
 */
final class Progress {
  private static final long TICK_SECONDS = 5;

  private final String what;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;

  private Progress(String what) {
    this.what = what;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tidemark-progress");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts reporting progress of {@code what}. */
  static Progress start(String what) {
    Progress p = new Progress(what);
    System.err.println("» " + what + " ...");
    p.ticker.scheduleAtFixedRate(
        () -> System.err.println("  ... " + what + " (" + p.elapsed() + ")"),
        TICK_SECONDS,
        TICK_SECONDS,
        TimeUnit.SECONDS);
    return p;
  }

  /** Stops reporting. */
  void stop() {
    ticker.shutdownNow();
  }

  /** Elapsed time, e.g. {@code 3.2 s}. */
  String elapsed() {
    Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
