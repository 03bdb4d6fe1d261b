#!/usr/bin/env bash
# HTTP throughput of `lbrec demo` under wrk (issue 6): GET /_health and GET /api/result for a
# finished job, each for 10 s with 2 threads and 64 connections. Prints requests/s and p50/p99.
# Builds nothing. Usage: bench/http_load.sh [path/to/lbrec]   (default: build/release/lbrec)
# Client and server share this machine's cores, so the figures are a floor, not a capacity.
set -euo pipefail

if ! command -v wrk >/dev/null; then
  echo "wrk not installed: run scripts/bootstrap"
  exit 0
fi
lbrec="${1:-$(dirname "$0")/../build/release/lbrec}"
if [ ! -x "$lbrec" ]; then
  echo "http_load: no lbrec binary at $lbrec (build it: scripts/build release lbrec)" >&2
  exit 1
fi

# A free loopback port: bind port 0, read it back, let it go.
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "http_load: no free port found" >&2
  exit 1
}

port="$(free_port)"
base="http://127.0.0.1:$port"
server_pid=""

stop_server() {
  [ -n "$server_pid" ] || return 0
  local started=$SECONDS
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "server did not exit within 15 s of SIGTERM: SIGKILL"
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  local rc=0
  wait "$server_pid" 2>/dev/null || rc=$?
  echo "server exit: code $rc after about $((SECONDS - started)) s"
  server_pid=""
}
trap stop_server EXIT

# Access logs are one line per request: they go nowhere.
PORT="$port" RATELIMIT_ENABLED=false LETTERBOXD_MIN_INTERVAL_S=0 "$lbrec" demo >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  if curl -s -o /dev/null --max-time 1 "$base/_health"; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "http_load: lbrec demo exited" >&2; exit 1; }
  sleep 0.1
done
curl -s -o /dev/null --max-time 1 "$base/_health" || { echo "http_load: no /_health" >&2; exit 1; }

id="httpload-$$"
status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 -X POST \
  -H 'Content-Type: application/json' \
  -d "{\"username\":\"demo\",\"country\":\"US\",\"count\":20,\"request_id\":\"$id\",\"sync\":true}" \
  "$base/api/recommend")"
if [ "$status" != 200 ]; then
  echo "http_load: the sync job answered $status" >&2
  exit 1
fi
echo "lbrec demo on port $port (pid $server_pid); finished job $id"
echo "wrk -t2 -c64 -d10s --latency; client and server share the same cores"
printf '%-40s %12s %10s %10s %8s\n' "url" "requests/s" "p50" "p99" "errors"

# Prints one row from wrk's report: requests/s, the 50% and 99% latency lines, and any
# non-2xx/3xx answers or socket errors.
load() {
  local path="$1" out
  out="$(timeout 60 wrk -t2 -c64 -d10s --latency "$base$path" 2>&1)" || true
  local rps p50 p99 non2xx sockerr
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")"
  sockerr="$(grep -o 'Socket errors:.*' <<<"$out" || true)"
  printf '%-40s %12s %10s %10s %8s\n' "$path" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}"
  if [ -n "$sockerr" ]; then echo "  $sockerr"; fi
  if [ -z "$rps" ]; then echo "  wrk said: $out"; fi
}

load "/_health"
load "/api/result?request_id=$id"
stop_server
