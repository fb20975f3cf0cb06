#!/usr/bin/env bash
# serving/bench/run.sh — load benchmark of the model server (not part of mvn verify).
# Prepares a taxi-tips model (the trainer's defaults: 100 trees of depth 4), measures the
# in-process predict rate, then starts the server (dev.tidemark.serving.Main, its own JVM) on
# loopback and drives it with wrk (Debian's package): V1 predict, one trip per request, at
# concurrency 1, 16 and 64. Prints requests/s and p50/p99 per concurrency. Bounded: ~1 minute.
#   serving/bench/run.sh [seconds-per-level]   (default 10)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DURATION="${1:-10}"
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing; fix: apt-get install -y wrk" >&2; exit 1; }

echo "== building serving (mvn -pl serving -am test-compile)" >&2
mvn -B -q -o -pl serving -am test-compile -Dspotless.check.skip=true >/dev/null 2>&1 \
  || mvn -B -q -pl serving -am test-compile -Dspotless.check.skip=true
RUNTIME="serving/target/classes:$(cat serving/target/runtime-classpath.txt)"
TESTCP="serving/target/test-classes:serving/target/classes:$(cat serving/target/test-classpath.txt)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

java -cp "$TESTCP" dev.tidemark.serving.bench.ServingBenchmark prepare "$WORK/models" 2>/dev/null
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$TESTCP" dev.tidemark.serving.bench.ServingBenchmark inprocess "$WORK/models" 2>/dev/null

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
java -Xmx1g -cp "$RUNTIME" dev.tidemark.serving.Main --repository "$WORK/models" --port "$PORT" \
  --poll-seconds 0 >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
URL="http://127.0.0.1:$PORT/v1/models/taxi-tips:predict"
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break; sleep 0.2
done
# Warm-up (JIT, connection setup), not reported.
wrk -t1 -c16 -d3s -s serving/bench/post.lua "$URL" >/dev/null

printf "%-12s %12s %10s %10s %8s\n" "concurrency" "requests/s" "p50" "p99" "non-200"
for C in 1 16 64; do
  OUT="$(wrk -t1 -c"$C" -d"${DURATION}s" --latency -s serving/bench/post.lua "$URL")"
  RPS="$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')"
  P50="$(echo "$OUT" | awk '$1=="50%" {print $2}')"
  P99="$(echo "$OUT" | awk '$1=="99%" {print $2}')"
  BAD="$(echo "$OUT" | sed -n 's/^non200=//p')"
  printf "%-12s %12s %10s %10s %8s\n" "$C" "$RPS" "$P50" "$P99" "$BAD"
done
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^tidemark_batch_size_(sum|count)' \
  | awk '{v[$1]=$2} END {for (k in v) if (k ~ /count/) c=v[k]; else s=v[k]; if (c>0) printf "mean rows per XGBoost call (dynamic batching): %.1f\n", s/c}'
