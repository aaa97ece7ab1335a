#!/usr/bin/env bash
# Runs a local copy of moto's own test suite (server mode) against moto_server
# and against `ecsnet serve`, and compares the two. The suite itself is not
# part of this repository: reconstruct it outside (see README.md here).
#
#   scripts/moto-suite/run.sh SUITE_DIR [TEST_PATH...]
#
# SUITE_DIR holds tests/ (moto's tests/__init__.py, tests/test_ecs/, ...).
# TEST_PATHs are relative to SUITE_DIR (default: tests/test_ecs tests/test_elbv2
# tests/test_autoscaling). Results go to $OUT (default SUITE_DIR/results):
# moto.xml, ecsnet.xml (JUnit), ecsnet.log (one line per request) and the
# comparison printed by compare.py. Set SKIP_MOTO=1 to reuse moto.xml.
# STEP_INTERVAL sets `ecsnet serve --step-interval` (default 20ms; "default"
# leaves the flag out, as `ecsnet serve` is run by people who measure it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
suite=$(cd "${1:?usage: run.sh SUITE_DIR [TEST_PATH...]}" && pwd)
shift
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(tests/test_ecs tests/test_elbv2 tests/test_autoscaling)
out=${OUT:-$suite/results}
mkdir -p "$out"
moto_port=${MOTO_PORT:-5021}
ecsnet_port=${ECSNET_PORT:-5022}
pyextra=${PYEXTRA:-/usr/lib/python3/dist-packages}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { # port
  for _ in $(seq 1 300); do
    if python3 - "$1" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
PY
    sleep 0.2
  done
  echo "nothing listens on port $1" >&2
  return 1
}

run_pytest() { # port junit
  (cd "$suite" && TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT="http://127.0.0.1:$1" \
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
    PYTHONPATH="$suite:$pyextra" python3 -m pytest -q -p no:cacheprovider -o addopts= \
    --junitxml="$2" "${paths[@]}" >"${2%.xml}.txt" 2>&1) || true
  tail -n 1 "${2%.xml}.txt"
}

if [ -z "${SKIP_MOTO:-}" ]; then
  moto_server -p "$moto_port" >"$out/moto.log" 2>&1 &
  pids+=($!)
  wait_port "$moto_port"
  echo "moto_server: $(run_pytest "$moto_port" "$out/moto.xml")"
  kill "${pids[0]}" 2>/dev/null || true
fi

(cd "$repo" && go build -o "$out/ecsnet" ./cmd/ecsnet)
step=(--step-interval "${STEP_INTERVAL:-20ms}")
[ "${STEP_INTERVAL:-}" != default ] || step=()
"$out/ecsnet" serve --ephemeral --addr "127.0.0.1:$ecsnet_port" "${step[@]}" \
  --log-level info >"$out/ecsnet.log" 2>&1 &
pids+=($!)
wait_port "$ecsnet_port"
echo "ecsnet:      $(run_pytest "$ecsnet_port" "$out/ecsnet.xml")"

python3 "$here/compare.py" "$suite" "$out/moto.xml" "$out/ecsnet.xml" "$out/ecsnet.log" | tee "$out/compare.txt"
