package dev.tidemark.runners.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs another class's {@code main()} in this JVM and, when the JVM exits (normally or through
 * {@code System.exit}), writes what the process used to the file named by {@code
 * -Dbench.measure=FILE}: total CPU time of the process (all threads, user + system), peak resident
 * set size ({@code VmHWM} of {@code /proc/self/status}) and the peak of the used heap (the sum of
 * the heap pools' peaks, an upper bound). The harness ({@link FlinkComparisonBenchmark}) starts one
 * such process per run and times it from outside.
 *
 * <pre>{@code
 * java -Dbench.measure=m.properties -cp ... dev.tidemark.runners.bench.MeasuredRun MAIN [ARGS...]
 * }</pre>
 */
public final class MeasuredRun {

  private MeasuredRun() {}

  public static void main(String[] args) throws Throwable {
    String file = System.getProperty("bench.measure");
    if (file != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> write(Path.of(file)), "measure"));
    }
    Class<?> main = Class.forName(args[0]);
    try {
      main.getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
    // Runners may leave non-daemon threads behind (Flink's MiniCluster, Spark): the run is over.
    System.exit(0);
  }

  private static void write(Path file) {
    long cpuMillis =
        ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    String text =
        "cpu_ms="
            + cpuMillis
            + "\nrss_peak_kb="
            + statusKb("VmHWM")
            + "\nheap_peak_mb="
            + heapPeak / (1024 * 1024)
            + "\n";
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("could not write " + file + ": " + e);
    }
  }

  /** A {@code kB} figure of {@code /proc/self/status}, or -1 off Linux. */
  static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
