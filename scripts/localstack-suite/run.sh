#!/usr/bin/env bash
# Runs LocalStack's AWS-validated tests, unchanged, against `ecsnet serve
# --ephemeral`. The tests themselves are not part of this repository: fetch
# them outside (see README.md here).
#
#   scripts/localstack-suite/run.sh SUITE_DIR [TEST_PATH...] [-- PYTEST_ARGS...]
#
# SUITE_DIR holds tests/aws/... (test files with their .snapshot.json).
# TEST_PATHs are relative to SUITE_DIR (default: tests). Results go to $OUT
# (default SUITE_DIR/results): junit.xml, results.json (node id -> outcome),
# pytest.txt and ecsnet.log (one line per request).
# ECSNET_PORT (default 4599) chooses the port; ENDPOINT=URL runs against an
# endpoint already listening instead (no ecsnet started). ecsnet runs with
# its default flags; STEP_INTERVAL (e.g. 20ms) sets --step-interval.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
suite=$(cd "${1:?usage: run.sh SUITE_DIR [TEST_PATH...] [-- PYTEST_ARGS...]}" && pwd)
shift
paths=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do paths+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#paths[@]} -gt 0 ] || paths=(tests)
out=${OUT:-$suite/results}
mkdir -p "$out"
port=${ECSNET_PORT:-4599}
pyextra=${PYEXTRA:-/usr/lib/python3/dist-packages}
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

endpoint=${ENDPOINT:-}
if [ -z "$endpoint" ]; then
  (cd "$repo" && go build -o "$out/ecsnet" ./cmd/ecsnet)
  step=()
  [ -z "${STEP_INTERVAL:-}" ] || step=(--step-interval "$STEP_INTERVAL")
  "$out/ecsnet" serve --ephemeral --addr "127.0.0.1:$port" "${step[@]}" \
    --log-level info >"$out/ecsnet.log" 2>&1 &
  pid=$!
  endpoint="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null; then
      break
    fi
    sleep 0.2
  done
fi

cd "$suite"
LS_ENDPOINT="$endpoint" LS_RESULTS="$out/results.json" \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
  PYTHONPATH="$here:$pyextra" python3 -m pytest -p conftest -p cfn_fixtures -p no:cacheprovider -o addopts= \
  --rootdir="$suite" --junitxml="$out/junit.xml" -rfE "$@" "${paths[@]}" >"$out/pytest.txt" 2>&1 || true
sed -n '/LocalStack.s AWS-validated tests/,$p' "$out/pytest.txt"
