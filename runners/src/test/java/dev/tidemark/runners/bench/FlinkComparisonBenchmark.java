package dev.tidemark.runners.bench;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Benchmark (not run by {@code mvn verify}): trips-per-area-hour as Tidemark runs it on the
 * embedded FlinkRunner against its native Flink DataStream twin ({@link
 * NativeFlinkTripsPerAreaHour}), in the same run, on the same generated input, with DirectRunner
 * and SparkRunner {@code local[2]} for reference (issue 14).
 *
 * <p>The input is {@code --copies} × the shipped sample (header once). Each round runs every
 * contender once, each as its own JVM process (same JVM flags), so that wall time (measured from
 * outside, JVM start included), CPU time (all threads, user + system) and peak RSS / peak heap
 * ({@link MeasuredRun}) belong to that run alone; the order of the contenders rotates from round to
 * round, so that a busy machine slows them alike. Every run's totals must equal the native run's
 * (sorted lines); the harness fails otherwise. It prints each figure per round, then per contender
 * the median and the spread (min–max), and the ratios to native Flink: wall and CPU (lower is
 * better; speed = 1 / wall ratio), peak RSS.
 *
 * <p>Contenders (names for {@code --contenders}): {@code native} the DataStream twin; {@code flink}
 * Tidemark's {@code bin/tidemark run trips-per-area-hour --runner=FlinkRunner --flinkMaster=[local]
 * --parallelism=2} with the CLI's default Flink settings, plus {@code --flinkArgs}; {@code direct}
 * the same on DirectRunner; {@code spark} on SparkRunner {@code local[2]}.
 *
 * <pre>{@code
 * runners/bench/flink-vs-native.sh [--copies=100] [--rounds=3] [--contenders=native,flink,direct,spark]
 *     [--jvmOpts="-Xmx2g"] [--flinkArgs="--objectReuse=true"] [--work=target/flink-vs-native]
 * }</pre>
 */
public final class FlinkComparisonBenchmark {

  private static final String PIPELINE = "trips-per-area-hour";

  /** What one run used. */
  record Figures(double wallS, double cpuS, long rssMb, long heapMb) {}

  /** A contender: how to start it and where it writes its totals. */
  record Contender(String name, List<String> command, Path outDir) {}

  private FlinkComparisonBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = NativeFlinkTripsPerAreaHour.parse(args);
    int copies = Integer.parseInt(o.getOrDefault("copies", "100"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
    List<String> names =
        List.of(o.getOrDefault("contenders", "native,flink,direct,spark").split(","));
    Path sample = Path.of(o.getOrDefault("sample", "data/chicago-taxi/trips.csv"));
    Path work = Path.of(o.getOrDefault("work", "target/flink-vs-native")).toAbsolutePath();
    List<String> jvmOpts = split(o.getOrDefault("jvmOpts", "-Xmx2g"));
    List<String> flinkArgs = split(o.getOrDefault("flinkArgs", ""));
    String parallelism = o.getOrDefault("parallelism", "2");

    Files.createDirectories(work);
    Path input = work.resolve("trips-x" + copies + ".csv");
    long lines = generate(sample, copies, input);
    System.out.printf(
        Locale.ROOT,
        "trips-per-area-hour: Tidemark vs native Flink 1.19; input %s (%d lines = %d x sample"
            + " + header); %d rounds; %d cores; JVM %s %s%n",
        input,
        lines,
        copies,
        rounds,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        String.join(" ", jvmOpts));

    Map<String, List<Figures>> figures = new LinkedHashMap<>();
    List<String> reference = null;
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(names);
      Collections.rotate(order, -(round - 1));
      for (String name : order) {
        Path out = work.resolve("out/" + name + "-r" + round);
        deleteRecursively(out);
        Contender c = contender(name, input, out, parallelism, flinkArgs);
        Figures f = run(c, jvmOpts, work.resolve("logs/" + name + "-r" + round));
        figures.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
        List<String> totals = sortedTotals(out);
        if (reference == null) {
          reference = totals;
        } else if (!reference.equals(totals)) {
          throw new IllegalStateException(
              name + " round " + round + ": totals differ from the first run's (" + out + ")");
        }
        System.out.printf(
            Locale.ROOT,
            "round %d  %-7s wall %7.2f s  cpu %7.2f s  peak rss %6d MB  peak heap %6d MB"
                + "  (%d total lines, identical)%n",
            round,
            name,
            f.wallS(),
            f.cpuS(),
            f.rssMb(),
            f.heapMb(),
            totals.size());
      }
    }
    report(figures);
  }

  static List<String> split(String s) {
    return s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
  }

  private static Contender contender(
      String name, Path input, Path out, String parallelism, List<String> flinkArgs) {
    List<String> cmd = new ArrayList<>();
    switch (name) {
      case "native" -> {
        cmd.add(NativeFlinkTripsPerAreaHour.class.getName());
        cmd.add("--input=" + input);
        cmd.add("--output=" + out.resolve("totals.csv"));
        cmd.add("--parallelism=" + parallelism);
        return new Contender(name, cmd, out);
      }
      case "flink", "flinkopt", "direct", "spark" -> {
        cmd.addAll(List.of("dev.tidemark.cli.TidemarkCli", "run", PIPELINE));
        switch (name) {
          case "flink", "flinkopt" -> {
            cmd.addAll(
                List.of(
                    "--runner=FlinkRunner",
                    "--flinkMaster=[local]",
                    "--parallelism=" + parallelism));
            if (name.equals("flinkopt")) {
              cmd.addAll(flinkArgs);
            }
          }
          case "direct" -> cmd.add("--runner=DirectRunner");
          default -> cmd.addAll(List.of("--runner=SparkRunner", "--sparkMaster=local[2]"));
        }
        cmd.add("--input=" + input);
        cmd.add("--output=" + out.resolve("totals"));
        cmd.add("--deadLetterOutput=" + out.resolve("dead-letters"));
        return new Contender(name, cmd, out);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown contender " + name + " (native, flink, flinkopt, direct, spark)");
    }
  }

  private static Figures run(Contender c, List<String> jvmOpts, Path logPrefix)
      throws IOException, InterruptedException {
    Files.createDirectories(logPrefix.getParent());
    Path measure = Path.of(logPrefix + ".measure");
    Files.deleteIfExists(measure);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOpts);
    cmd.addAll(MODULE_OPENS);
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-Dbench.measure=" + measure);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MeasuredRun.class.getName());
    cmd.addAll(c.command());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(new File(logPrefix + ".out"))
            .redirectError(new File(logPrefix + ".err"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long start = System.nanoTime();
    Process p = pb.start();
    int exit = p.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException(
          c.name() + " exited with " + exit + "; see " + logPrefix + ".err");
    }
    Properties m = new Properties();
    try (var r = Files.newBufferedReader(measure)) {
      m.load(r);
    }
    return new Figures(
        wall,
        Long.parseLong(m.getProperty("cpu_ms")) / 1000.0,
        Long.parseLong(m.getProperty("rss_peak_kb")) / 1024,
        Long.parseLong(m.getProperty("heap_peak_mb")));
  }

  /** Every totals line under {@code out} (header included), sorted. */
  static List<String> sortedTotals(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f :
          files
              .filter(
                  f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith("totals") && n.endsWith(".csv");
                  })
              .toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalStateException("no totals under " + out);
    }
    Collections.sort(lines);
    return lines;
  }

  private static void report(Map<String, List<Figures>> figures) {
    System.out.println();
    System.out.println(
        "contender  wall s median (min-max)   cpu s median (min-max)    peak rss MB median"
            + " (min-max)  peak heap MB median");
    for (var e : figures.entrySet()) {
      List<Figures> fs = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "%-9s  %6.2f (%6.2f-%6.2f)    %6.2f (%6.2f-%6.2f)    %6.0f (%5.0f-%5.0f)        %6.0f%n",
          e.getKey(),
          median(fs, Figures::wallS),
          min(fs, Figures::wallS),
          max(fs, Figures::wallS),
          median(fs, Figures::cpuS),
          min(fs, Figures::cpuS),
          max(fs, Figures::cpuS),
          median(fs, f -> (double) f.rssMb()),
          min(fs, f -> (double) f.rssMb()),
          max(fs, f -> (double) f.rssMb()),
          median(fs, f -> (double) f.heapMb()));
    }
    List<Figures> nat = figures.get("native");
    if (nat == null) {
      return;
    }
    System.out.println();
    System.out.println(
        "ratio to native (of medians): wall, cpu, peak rss; speed = native wall / wall");
    for (var e : figures.entrySet()) {
      if (e.getKey().equals("native")) {
        continue;
      }
      List<Figures> fs = e.getValue();
      double wall = median(fs, Figures::wallS) / median(nat, Figures::wallS);
      System.out.printf(
          Locale.ROOT,
          "%-9s  wall %5.2fx  cpu %5.2fx  peak rss %5.2fx  speed %4.2fx native%n",
          e.getKey(),
          wall,
          median(fs, Figures::cpuS) / median(nat, Figures::cpuS),
          median(fs, f -> (double) f.rssMb()) / median(nat, f -> (double) f.rssMb()),
          1 / wall);
    }
  }

  private static double median(List<Figures> fs, java.util.function.ToDoubleFunction<Figures> f) {
    double[] v = fs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double min(List<Figures> fs, java.util.function.ToDoubleFunction<Figures> f) {
    return fs.stream().mapToDouble(f).min().orElse(Double.NaN);
  }

  private static double max(List<Figures> fs, java.util.function.ToDoubleFunction<Figures> f) {
    return fs.stream().mapToDouble(f).max().orElse(Double.NaN);
  }

  /** Writes the header once, then {@code copies} × the sample's data lines; returns the lines. */
  static long generate(Path sample, int copies, Path input) throws IOException {
    List<String> all = Files.readAllLines(sample, StandardCharsets.UTF_8);
    List<String> data = all.subList(1, all.size());
    long expected = 1 + (long) copies * data.size();
    if (Files.exists(input)) {
      try (Stream<String> existing = Files.lines(input)) {
        if (existing.count() == expected) {
          return expected;
        }
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      out.write(all.get(0));
      out.write('\n');
      for (int i = 0; i < copies; i++) {
        for (String line : data) {
          out.write(line);
          out.write('\n');
        }
      }
    }
    return expected;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Java 17 module flags Flink and Spark need (bin/tidemark's list). */
  private static final List<String> MODULE_OPENS =
      Arrays.stream(
              new String[] {
                "java.base/java.lang",
                "java.base/java.lang.invoke",
                "java.base/java.lang.reflect",
                "java.base/java.io",
                "java.base/java.net",
                "java.base/java.nio",
                "java.base/java.util",
                "java.base/java.util.concurrent",
                "java.base/java.util.concurrent.atomic",
                "java.base/sun.nio.ch",
                "java.base/sun.nio.cs",
                "java.base/sun.security.action",
                "java.base/sun.util.calendar",
                "java.security.jgss/sun.security.krb5",
                "java.base/java.text",
                "java.base/java.time",
                "java.sql/java.sql"
              })
          .map(m -> "--add-opens=" + m + "=ALL-UNNAMED")
          .toList();
}
