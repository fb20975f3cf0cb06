#!/usr/bin/env bash
# serving/bench/evaluators.sh — the compiled evaluator against xgboost4j, side by side in one run
# (issue 21; not part of mvn verify):
#   1. per-row cost in process (dev.tidemark.core.bench.TreeEvaluatorBenchmark): xgboost4j's
#      inplace_predict against the compiled trees (both layouts) at batch sizes 1, 8, 64, 1000,
#      for 100 trees of depth 4 (the default model), depth 6 (the challenger) and 200 of depth 8;
#   2. the HTTP server with wrk (V1 predict, one trip per request, serving/bench/post.lua) at
#      concurrency 1, 16 and 64 against three servers started side by side: a bare Vert.x server
#      answering a constant JSON (BareHttpServer: the HTTP ceiling), Tidemark's server with
#      --evaluator xgboost4j and with --evaluator compiled. Rounds alternate the three servers at
#      each concurrency, so that a busy machine slows them alike; the table gives the median over
#      rounds of requests/s and p99, and the ratio of requests/s to the bare server's.
#   serving/bench/evaluators.sh [seconds-per-run] [rounds] [--server-only|--evaluators-only]
#   (defaults: 5 s, 3 rounds: about 3 minutes for the server part, 1 minute for the per-row part)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DURATION=5; ROUNDS=3; PARTS=both; POS=0
for a in "$@"; do
  case "$a" in
    --server-only) PARTS=server ;;
    --evaluators-only) PARTS=evaluators ;;
    *) if [ $POS -eq 0 ]; then DURATION="$a"; else ROUNDS="$a"; fi; POS=$((POS + 1)) ;;
  esac
done
if [ "$PARTS" != evaluators ]; then
  command -v wrk >/dev/null 2>&1 || { echo "wrk is missing; fix: apt-get install -y wrk" >&2; exit 1; }
fi

echo "== building core and serving (mvn -pl core,serving -am test-compile)" >&2
mvn -B -q -o -pl core,serving -am test-compile -Dspotless.check.skip=true >/dev/null 2>&1 \
  || mvn -B -q -pl core,serving -am test-compile -Dspotless.check.skip=true
RUNTIME="serving/target/classes:$(cat serving/target/runtime-classpath.txt)"
TESTCP="serving/target/test-classes:serving/target/classes:$(cat serving/target/test-classpath.txt)"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PARTS" != server ]; then
  java -cp "$TESTCP" dev.tidemark.core.bench.TreeEvaluatorBenchmark 2>/dev/null
  echo
fi
[ "$PARTS" = evaluators ] && exit 0

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-evaluators.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill "$p"; wait "$p" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

java -cp "$TESTCP" dev.tidemark.serving.bench.ServingBenchmark prepare "$WORK/models" 2>/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

declare -A URL
P="$(free_port)"
java -Xmx512m -cp "$TESTCP" dev.tidemark.serving.bench.BareHttpServer "$P" >"$WORK/bare.out" 2>"$WORK/bare.log" &
PIDS+=($!); URL[bare]="http://127.0.0.1:$P/v1/models/taxi-tips:predict"
for EV in xgboost4j compiled; do
  P="$(free_port)"
  java -Xmx1g -cp "$RUNTIME" dev.tidemark.serving.Main --repository "$WORK/models" --port "$P" \
    --poll-seconds 0 --evaluator "$EV" >"$WORK/$EV.out" 2>"$WORK/$EV.log" &
  PIDS+=($!); URL[$EV]="http://127.0.0.1:$P/v1/models/taxi-tips:predict"
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$P/v2/health/ready" >/dev/null 2>&1 && break; sleep 0.2
  done
done
for _ in $(seq 1 50); do curl -s -o /dev/null -X POST "${URL[bare]}" -d '{}' && break; sleep 0.2; done
SERVERS=(bare xgboost4j compiled)
for S in "${SERVERS[@]}"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" serving/bench/post.lua)" "${URL[$S]}")"
  [ "$code" = 200 ] || { echo "$S answers $code; see $WORK/$S.log" >&2; cat "$WORK/$S.log" >&2; exit 1; }
  # Warm-up (JIT, connection setup), not reported.
  wrk -t1 -c16 -d3s -s serving/bench/post.lua "${URL[$S]}" >/dev/null
done

# One wrk run: prints "requests/s p99-in-ms non-200".
measure() {
  local out
  out="$(wrk -t1 -c"$2" -d"${DURATION}s" --latency -s serving/bench/post.lua "$1")"
  echo "$out" | awk '
    /Requests\/sec/ {rps=$2}
    $1=="99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
               ms = (u=="us") ? v/1000 : (u=="ms") ? v : (u=="s") ? v*1000 : v*60000}
    /^non200=/ {sub(/non200=/, ""); bad=$0}
    END {printf "%s %.3f %s\n", rps, ms, bad}'
}

declare -A RPS P99 BAD
for R in $(seq 1 "$ROUNDS"); do
  for C in 1 16 64; do
    for S in "${SERVERS[@]}"; do
      read -r rps p99 bad < <(measure "${URL[$S]}" "$C")
      RPS[$S,$C]="${RPS[$S,$C]:-} $rps"; P99[$S,$C]="${P99[$S,$C]:-} $p99"
      BAD[$S,$C]=$(( ${BAD[$S,$C]:-0} + bad ))
      echo "round $R  c=$C  $S: $rps requests/s, p99 $p99 ms, non-200 $bad" >&2
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "server (wrk -t1, V1 one trip per request, median of $ROUNDS alternating rounds of ${DURATION}s)"
printf "%-12s %-11s %12s %10s %9s %8s\n" "concurrency" "server" "requests/s" "p99 (ms)" "vs bare" "non-200"
for C in 1 16 64; do
  BARE="$(echo "${RPS[bare,$C]}" | median)"
  for S in "${SERVERS[@]}"; do
    M="$(echo "${RPS[$S,$C]}" | median)"; Q="$(echo "${P99[$S,$C]}" | median)"
    printf "%-12s %-11s %12.0f %10.2f %8.2fx %8s\n" "$C" "$S" "$M" "$Q" "$(echo "$M $BARE" | awk '{print $1/$2}')" "${BAD[$S,$C]}"
  done
done
for EV in xgboost4j compiled; do
  P="${URL[$EV]%/v1/*}"
  curl -s "$P/metrics" | grep -E '^tidemark_batch_size_(sum|count)' \
    | awk -v ev="$EV" '{v[$1]=$2} END {for (k in v) if (k ~ /count/) c=v[k]; else s=v[k]; if (c>0) printf "%s: mean rows per model call %.1f\n", ev, s/c}'
done
