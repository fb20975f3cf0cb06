#!/usr/bin/env bash
# runners/bench/flink-vs-native.sh — trips-per-area-hour: Tidemark on the embedded FlinkRunner
# against its native Flink 1.19 DataStream twin, with DirectRunner and SparkRunner local[2] for
# reference, in one run (issue 14; not part of mvn verify). Each run is its own JVM; rounds
# alternate the contenders; the totals of every run must be identical. Options (all optional):
#   --copies=100 --rounds=3 --contenders=native,flink,direct,spark --jvmOpts="-Xmx2g"
#   --flinkArgs="--objectReuse=true ..." (for the contender flinkopt) --parallelism=2
#   --work=target/flink-vs-native
# Figures and how to read them: docs/performance.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
echo "== building (mvn -pl runners -am test-compile dependency:build-classpath)" >&2
build() {
  mvn -B -q "$@" -pl runners -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test \
    -Dspotless.check.skip=true -DskipTests >&2
}
build -o 2>/dev/null || build
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec java -Xmx1g -cp "runners/target/test-classes:runners/target/classes:$(cat runners/target/bench-classpath.txt)" \
  dev.tidemark.runners.bench.FlinkComparisonBenchmark "$@"
