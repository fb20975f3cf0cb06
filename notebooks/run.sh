#!/usr/bin/env bash
# notebooks/run.sh — the lab notebook end to end, headless: trains the taxi-tips model into a
# temporary repository, serves it (bin/tidemark serve on a free port), executes
# taxi-tips-lab.ipynb with jupyter nbconvert (exit 1 when a cell fails) and stops the server.
# Jupyter comes from Debian's packages (installed here when missing and running as root).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PYDEVD_DISABLE_FILE_VALIDATION=1

if ! command -v jupyter >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import requests, matplotlib, ipykernel' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Jupyter (Debian packages)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jupyter-nbconvert python3-ipykernel \
      python3-matplotlib python3-requests jupyter-client >/dev/null
  else
    echo "notebooks/run.sh: Jupyter is missing" >&2
    echo "  fix: apt-get install -y jupyter-nbconvert python3-ipykernel python3-matplotlib python3-requests jupyter-client" >&2
    exit 1
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-lab.XXXXXX")"
VERSION="20261127T090000Z"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"            # graceful: the server drains, then exits
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

echo "== training taxi-tips into $WORK/models" >&2
bin/tidemark train --output "$WORK/models" --model-version "$VERSION" >"$WORK/train.txt"
grep -E "eval ROC AUC|model " "$WORK/train.txt" >&2

PORT="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
echo "== serving on port $PORT" >&2
bin/tidemark serve --repository "$WORK/models" --port "$PORT" --poll-seconds 0 \
  >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done

export TIDEMARK_SERVER="http://127.0.0.1:$PORT"
export TIDEMARK_MODEL_DIR="$WORK/models/taxi-tips/$VERSION"
export TIDEMARK_TRIPS="$ROOT/data/chicago-taxi/trips.csv"
export TIDEMARK_PLOT="$WORK/predicted-probabilities.png"
echo "== executing notebooks/taxi-tips-lab.ipynb" >&2
jupyter nbconvert --to notebook --execute notebooks/taxi-tips-lab.ipynb \
  --ExecutePreprocessor.timeout=120 --output-dir "$WORK" --output taxi-tips-lab.executed.ipynb
echo "== notebook OK: $WORK/taxi-tips-lab.executed.ipynb, plot $TIDEMARK_PLOT" >&2
