#!/usr/bin/env bash
# Black-box test of shared state through Redis (issue 7): two `lbrec serve` instances on one Redis
# act as one (cache, per-client limits, Letterboxd circuit breaker); without Redis an instance
# falls back to in-process state, logs it once, and picks Redis up again when it comes back; a
# Redis lost in the middle of a job costs cache misses, never errors.
# Needs redis-server and redis-cli (Debian package redis-server). Usage: redis_cluster_test.sh /path/to/lbrec
set -uo pipefail
source "$(dirname "$(realpath "$0")")/common.sh"
LBREC=$(realpath "$1")
work=$(mktemp -d)
declare -A pid port  # per started process: its pid, and for the services their port
redis_pid=""
fw_pid=""

cleanup() {  # every process this script started, even after a failure (KEEP_WORK=1 keeps the logs)
  local p
  {
    for p in "${pid[@]}" "$redis_pid" "$fw_pid"; do
      [ -n "$p" ] && kill -9 "$p"
    done
    for p in "${pid[@]}" "$redis_pid" "$fw_pid"; do
      [ -n "$p" ] && wait "$p"
    done
  } 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"
# Every run keeps its persistent data in the temp dir, never in the user's data directory.
export LBREC_DATA_DIR="$work/data"

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "redis-server and redis-cli are needed (Debian package redis-server)"
  exit 1
fi

sock="$work/redis.sock"
rcli() { redis-cli -s "$sock" "$@"; }
start_redis() {  # a throw-away Redis on a unix socket in the temp dir, without persistence
  rm -f "$sock"
  redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --save "" --appendonly no \
    --dir "$work" >>redis.log 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do
    [ "$(rcli ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  return 1
}
stop_redis() {  # SIGTERM, or SIGKILL with `stop_redis -9`
  [ -n "$redis_pid" ] || return 0
  stop_pid "$redis_pid" "${1:--TERM}"
  redis_pid=""
}
stop_pid() {  # stop_pid PID SIGNAL: SIGKILL after 10 s; quiet (no "Killed" job notice)
  {
    kill "$2" "$1"
    for _ in $(seq 1 100); do
      kill -0 "$1" || break
      sleep 0.1
    done
    kill -9 "$1"
    wait "$1"
  } 2>/dev/null
}

# The fake world: Letterboxd, TMDB and JustWatch on one loopback port.
start_fakeworld --films 400 --users 5
if [ -z "$url" ]; then
  echo "FAIL: the fake world did not start"; cat fw.err; exit 1
fi
fault() { curl -s -o /dev/null -X POST "$url/__faults" -d "$1"; }
no_faults() { curl -s -o /dev/null -X DELETE "$url/__faults"; }

fw_env=(env LETTERBOXD_BASE_URL="$url" TMDB_BASE_URL="$url" JUSTWATCH_URL="$url/graphql"
        TMDB_KEY=5f2b8c1e9a7d4e3f6b0c1d2e3f4a5b6c LETTERBOXD_MIN_INTERVAL_S=0 TMDB_RATE_LIMIT=400
        CAMOUFOX_MAX_CONCURRENT=0 LETTERBOXD_RETRY_SLEEP_S=0 HOST=127.0.0.1
        REDIS_URL="unix://$sock")

start_serve() {  # start_serve NAME [VAR=VALUE...]: `lbrec serve` logging to NAME.log (this run only), up within 15 s
  local name=$1 code=000
  shift
  port[$name]=$(free_port)
  "${fw_env[@]}" PORT="${port[$name]}" "$@" "$LBREC" serve >"$name.log" 2>&1 &
  pid[$name]=$!
  for _ in $(seq 1 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$name]}/_health" || true)
    [ "$code" = 200 ] && return 0
    kill -0 "${pid[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not come up on port ${port[$name]} (last health status $code); its log ends:"
  tail -5 "$name.log"
  return 1
}
stop_serve() {
  [ -n "${pid[$1]:-}" ] || return 0
  stop_pid "${pid[$1]}" -TERM
  unset "pid[$1]"
}
api() { echo "http://127.0.0.1:${port[$1]}"; }
recommend() {  # recommend NAME OUT.json JSON-BODY [HEADERS-FILE]: prints the status code
  curl -s --max-time 60 -o "$2" -D "${4:-/dev/null}" -w '%{http_code}' \
    -H 'Content-Type: application/json' -d "$3" "$(api "$1")/api/recommend"
}
ids() { python3 -c 'import json,sys; print(" ".join(str(r["tmdb_id"]) for r in json.load(open(sys.argv[1]))["recommendations"]))' "$1"; }
circuit_open() { curl -s --max-time 5 "$(api "$1")/_health" | grep -q '"letterboxd_circuit_open":true'; }

if ! start_redis; then
  echo "FAIL: redis-server did not answer PING"; cat redis.log; exit 1
fi
start_serve A; a_up=$?
start_serve B; b_up=$?
check "two instances start against one Redis" $([ $a_up -eq 0 ] && [ $b_up -eq 0 ]; echo $?)
check "both say they use Redis" $(grep -q 'event=redis_connected link=command' A.log && grep -q 'event=redis_connected link=command' B.log; echo $?)

# 1. Shared cache: B answers what A computed from what A put in Redis, at almost no upstream cost.
# No `count`: with one, exploration stops when the top settles, at a point that depends on timing.
body='{"username":"demo","sync":true,"country":"US"}'
curl -s -o /dev/null -X POST "$url/__reset"
code_a=$(recommend A a1.json "$body")
calls_a=$(upstream_calls)
curl -s -o /dev/null -X POST "$url/__reset"
code_b=$(recommend B b1.json "$body")
calls_b=$(upstream_calls)
ids_a=$(ids a1.json 2>/dev/null); ids_b=$(ids b1.json 2>/dev/null)
check "shared cache: B gives A's recommendations at <= 5% of A's upstream calls (A $code_a: $calls_a calls, B $code_b: $calls_b)" \
  $([ "$code_a" = 200 ] && [ "$code_b" = 200 ] && [ "$calls_a" -gt 0 ] && [ $((calls_b * 20)) -le "$calls_a" ] &&
    [ -n "$ids_a" ] && [ "$ids_a" = "$ids_b" ] && [ "$(echo "$ids_a" | wc -w)" -ge 10 ]; echo $?)
check "shared cache: entries under lbrec:cache: in Redis" \
  $([ -n "$(rcli --scan --pattern 'lbrec:cache:*' | head -5)" ]; echo $?)

# 2. Shared rate limit (RATELIMIT_RECOMMEND defaults to 5/minute per client address): A and B have
# had one POST /api/recommend each; three more alternating pass, the 6th across both is refused.
codes=""
for inst in A B A; do
  codes+="$(recommend "$inst" /dev/null '{"username":"demo"}') "
done
code6=$(recommend B r6.json '{"username":"demo"}' r6.headers)
retry_after=$(grep -i '^retry-after:' r6.headers | tr -d '\r' | awk '{print $2}')
check "shared rate limit: requests 3-5 pass ($codes), the 6th across both instances is 429 ($code6)" \
  $([ "$codes" = "202 202 202 " ] && [ "$code6" = 429 ]; echo $?)
check "shared rate limit: the 429 has Retry-After ($retry_after) and a JSON error" \
  $([[ "$retry_after" =~ ^[0-9]+$ ]] && [ "$retry_after" -ge 1 ] && [ "$retry_after" -le 60 ] &&
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]' r6.json; echo $?)
code7=$(recommend A /dev/null '{"username":"demo"}')
check "shared rate limit: A refuses too ($code7)" $([ "$code7" = 429 ]; echo $?)
stop_serve A
stop_serve B

# 3. Shared circuit breaker: A is blocked by Letterboxd and opens its breaker; B learns it through
# Redis (it synchronises every second) without touching Letterboxd.
rcli flushall >/dev/null
breaker_env=(LETTERBOXD_CIRCUIT_FAILURE_THRESHOLD=1 RATELIMIT_ENABLED=false)
start_serve A "${breaker_env[@]}"; a_up=$?
start_serve B "${breaker_env[@]}"; b_up=$?
fault '{"family":"letterboxd","fault":"challenge"}'
code=$(recommend A blocked.json '{"username":"cinephile","count":5,"sync":true}')
circuit_open A; a_open=$?
check "shared breaker: A is blocked on an uncached member ($code) and opens its circuit" \
  $([ $a_up -eq 0 ] && [ "$code" = 503 ] && [ $a_open -eq 0 ]; echo $?)
b_open=1
for _ in $(seq 1 25); do
  circuit_open B && { b_open=0; break; }
  sleep 0.2
done
check "shared breaker: B's circuit opens within 5 s" $([ $b_up -eq 0 ] && [ $b_open -eq 0 ]; echo $?)
check "shared breaker: the opening is in Redis" $([ "$(rcli exists lbrec:breaker:letterboxd)" = 1 ]; echo $?)
no_faults
stop_serve A
stop_serve B
rcli flushall >/dev/null  # forget the open breaker

# 4. Redis down at start: C serves in-process, says so once, and reconnects when Redis is back.
stop_redis
rm -f "$sock"
start_serve C RATELIMIT_ENABLED=false; c_up=$?
c_started=$SECONDS
code=$(recommend C c1.json '{"username":"demo","count":10,"sync":true,"country":"US"}')
check "no Redis at start: C starts and answers in-process ($code)" \
  $([ $c_up -eq 0 ] && [ "$code" = 200 ] && [ "$(ids c1.json | wc -w)" -eq 10 ]; echo $?)
while [ $((SECONDS - c_started)) -lt 4 ]; do sleep 0.2; done  # several reconnect attempts
unavailable_lines=$(grep -c 'redis_unavailable\|redis_connect_failed' C.log)
check "no Redis at start: one log line says so, not one per attempt ($unavailable_lines)" \
  $([ "$unavailable_lines" -eq 1 ] && grep -q 'event=redis_unavailable link=command' C.log; echo $?)
start_redis; r_up=$?
back=1
for _ in $(seq 1 100); do  # C never had Redis: its first connection ends the outage
  grep -qE 'event=redis_(re)?connected link=command' C.log && { back=0; break; }
  sleep 0.1
done
check "Redis back: C says it reconnected within 10 s" $([ $r_up -eq 0 ] && [ $back -eq 0 ]; echo $?)
code=$(recommend C c2.json '{"username":"legacy_fan","count":5,"sync":true,"country":"GB"}')
check "Redis back: C writes its cache to Redis again ($code)" \
  $([ "$code" = 200 ] && [ -n "$(rcli --scan --pattern 'lbrec:cache:*' | head -5)" ]; echo $?)
stop_serve C

# 5. Redis lost in the middle of a job: the job completes (cache misses, not errors), no 500.
# Latency on the fake upstreams keeps the job running long enough for Redis to die under it.
start_serve A RATELIMIT_ENABLED=false; a_up=$?
fault '{"family":"letterboxd","latency_ms":150}'
fault '{"family":"tmdb","latency_ms":60}'
code=$(recommend A job.json '{"username":"marathoner"}')
rid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["request_id"])' job.json 2>/dev/null)
sleep 0.3
before=$(curl -s -o /dev/null -w '%{http_code}' "$(api A)/api/result?request_id=$rid")
stop_redis -9
check "Redis killed while A's job was running (POST $code, result then $before)" \
  $([ $a_up -eq 0 ] && [ "$code" = 202 ] && [ -n "$rid" ] && [ "$before" = 202 ]; echo $?)
rcode=000
for _ in $(seq 1 120); do
  rcode=$(curl -s --max-time 10 -o result5.json -w '%{http_code}' "$(api A)/api/result?request_id=$rid")
  [ "$rcode" != 202 ] && break
  sleep 0.5
done
nrec=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["recommendations"]))' result5.json 2>/dev/null || echo 0)
check "Redis lost mid-job: the result is 200 with recommendations ($rcode, $nrec)" \
  $([ "$rcode" = 200 ] && [ "$nrec" -gt 0 ]; echo $?)
check "Redis lost mid-job: no 500 in A's access log" $(! grep -q 'status=500' A.log; echo $?)
check "Redis lost mid-job: A noticed the loss" $(grep -q 'event=redis_connection_lost link=command' A.log; echo $?)
no_faults

echo "--- checks 1-5 done: $passed passed, $failed failed"

# 6. Cross-instance jobs: a job posted to A is readable from B, result and the three SSE streams.
# (Needs the job relay through Redis.)
start_redis; r_up=$?
back=1
for _ in $(seq 1 100); do
  grep -q 'event=redis_reconnected link=command' A.log && { back=0; break; }
  sleep 0.1
done
start_serve B RATELIMIT_ENABLED=false; b_up=$?
check "relay setup: Redis back for A, B up" $([ $r_up -eq 0 ] && [ $back -eq 0 ] && [ $b_up -eq 0 ]; echo $?)
fault '{"family":"tmdb","latency_ms":40}'
rid=relay-$RANDOM$RANDOM
code=$(recommend A relay.json "{\"username\":\"critic\",\"request_id\":\"$rid\",\"country\":\"US\"}")
sse_pids=()
for inst in A B; do
  for s in logs recommendations status; do
    curl -sN --max-time 30 "$(api $inst)/api/$s-stream?request_id=$rid" >"sse_${inst}_$s.txt" 2>/dev/null &
    sse_pids+=($!)
    pid[sse_${inst}_$s]=$!
  done
done
bcode=000
for _ in $(seq 1 30); do
  bcode=$(curl -s --max-time 5 -o relay_b.json -w '%{http_code}' "$(api B)/api/result?request_id=$rid")
  [ "$bcode" != 202 ] && [ "$bcode" != 404 ] && break
  sleep 1
done
acode=000
for _ in $(seq 1 30); do
  acode=$(curl -s --max-time 5 -o relay_a.json -w '%{http_code}' "$(api A)/api/result?request_id=$rid")
  [ "$acode" != 202 ] && break
  sleep 1
done
for p in "${sse_pids[@]}"; do wait "$p" 2>/dev/null; done
for inst in A B; do for s in logs recommendations status; do unset "pid[sse_${inst}_$s]"; done; done
no_faults
same_payload() { python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); assert a==b and a["recommendations"]' "$@"; }
check "relay: B answers A's job result (A POST $code, A result $acode, B result $bcode)" \
  $([ "$code" = 202 ] && [ "$acode" = 200 ] && [ "$bcode" = 200 ] && same_payload relay_a.json relay_b.json; echo $?)
last_complete() {  # the stream's last data line has "status":"complete"
  [ "$(grep '^data:' "$1" | tail -1 | grep -c '"status":"complete"')" -eq 1 ]
}
for s in logs recommendations status; do
  check "relay: B's $s stream ends with status complete ($(grep -c '^data:' "sse_B_$s.txt") events)" \
    $(last_complete "sse_B_$s.txt"; echo $?)
done
same_events() {  # the same ids and data, in the same order
  diff <(grep -E '^(id|data):' "$1") <(grep -E '^(id|data):' "$2") >/dev/null && grep -q '^data:' "$1"
}
for s in logs recommendations status; do
  check "relay: B's $s stream has A's events, id for id" $(same_events "sse_A_$s.txt" "sse_B_$s.txt"; echo $?)
done
n_result=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["recommendations"]))' relay_a.json 2>/dev/null || echo -1)
n_stream=$(grep '^data:' sse_B_recommendations.txt | grep -c '"tmdb_id"')
n_stream_a=$(grep '^data:' sse_A_recommendations.txt | grep -c '"tmdb_id"')
# Early recommendations stream while the job explores; the final ranking may drop one of them, so
# the stream carries at least the result's count, and exactly what A's own stream carried.
check "relay: B's recommendations stream carries every recommendation of the result ($n_stream for $n_result; A's own stream: $n_stream_a)" \
  $([ "$n_result" -gt 0 ] && [ "$n_stream" -ge "$n_result" ] && [ "$n_stream" -eq "$n_stream_a" ]; echo $?)

# 7. A stream opened on A before its job is posted (as the seed's client does) starts on the
# relay; once the job runs on A it reads A's hub, so it completes even when Redis is gone by then.
rid2=handover-$RANDOM$RANDOM
curl -sN --max-time 45 "$(api A)/api/status-stream?request_id=$rid2" >handover.txt 2>/dev/null &
hpid=$!
pid[handover]=$hpid
sleep 0.5
stop_redis -9
code=$(recommend A handover.json "{\"username\":\"demo\",\"request_id\":\"$rid2\",\"country\":\"DE\"}")
wait "$hpid" 2>/dev/null
unset "pid[handover]"
check "handover: a stream opened before the post completes from A's hub with Redis gone (POST $code, $(grep -c '^data:' handover.txt) events)" \
  $([ "$code" = 202 ] && last_complete handover.txt && [ "$(grep -c '^data:' handover.txt)" -gt 1 ]; echo $?)
stop_serve A
stop_serve B
stop_redis

report
