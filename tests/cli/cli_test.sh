#!/usr/bin/env bash
# Black-box tests of the lbrec binary: exit codes, one-line configuration errors, .env precedence,
# secrets kept out of output, the fake world starting, serving and stopping on a signal.
# Usage: cli_test.sh /path/to/lbrec
set -uo pipefail
source "$(dirname "$(realpath "$0")")/common.sh"
LBREC="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${fw_pid:-}" ] && kill "$fw_pid" 2>/dev/null' EXIT
cd "$work"
# Every run keeps its persistent cache in the temp dir, never in the user's data directory.
export LBREC_DATA_DIR="$work/data"
run() {  # run ARGS... ; sets rc, out, err
  out=$("$@" 2>"$work/stderr"); rc=$?; err=$(cat "$work/stderr")
}

run "$LBREC" --version
check "--version exits 0 and prints a version" $([ $rc -eq 0 ] && [[ "$out" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; echo $?)
run "$LBREC" --help
check "--help lists the subcommands" $([ $rc -eq 0 ] && [[ "$out" == *fakeworld* && "$out" == *recommend* ]]; echo $?)
run "$LBREC" fakeworld --help
check "subcommand --help" $([ $rc -eq 0 ] && [[ "$out" == *--markup* ]]; echo $?)
run "$LBREC"
check "no subcommand is a usage error (2)" $([ $rc -eq 2 ]; echo $?)
run "$LBREC" frobnicate
check "unknown subcommand is a usage error (2)" $([ $rc -eq 2 ]; echo $?)

run env PORT=abc "$LBREC" config
check "PORT=abc exits 1" $([ $rc -eq 1 ]; echo $?)
check "PORT=abc error is one line naming the variable" \
  $([ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ "$err" == *"invalid PORT='abc'"* && "$err" == *"1 to 65535"* ]]; echo $?)
run env JOB_RESULT_TTL=-5 "$LBREC" serve
check "negative TTL stops serve with exit 1" $([ $rc -eq 1 ] && [[ "$err" == *JOB_RESULT_TTL* ]]; echo $?)
run env FLASK_ENV=staging "$LBREC" demo
check "unknown FLASK_ENV stops demo" $([ $rc -eq 1 ] && [[ "$err" == *"development or production"* ]]; echo $?)

printf 'PORT=9999\nMIN_RECOMMEND_RATING=6.5\n# comment\nexport TRUST_PROXY=yes\n' > .env
run env -u PORT "$LBREC" config
check ".env values are read" $([ $rc -eq 0 ] && [[ "$out" == *"PORT=9999"* && "$out" == *"MIN_RECOMMEND_RATING=6.5"* && "$out" == *"TRUST_PROXY=true"* ]]; echo $?)
run env PORT=7777 "$LBREC" config
check "the environment wins over .env" $([ $rc -eq 0 ] && [[ "$out" == *"PORT=7777"* ]]; echo $?)
printf 'PORT="unterminated\n' > .env
run env -u PORT "$LBREC" config
check "a broken .env is a one-line error" $([ $rc -eq 1 ] && [[ "$err" == *".env line 1"* ]]; echo $?)
rm .env

run env TMDB_KEY=s3cr3t-key-value INTERNAL_TOKEN=t0ken-value REDIS_URL=redis://:hunter2@localhost:6379/0 "$LBREC" config
check "secrets never printed" $([ $rc -eq 0 ] && [[ "$out" != *s3cr3t* && "$out" != *t0ken* && "$out" != *hunter2* && "$out" == *"TMDB_KEY=(set)"* ]]; echo $?)
run env TMDB_KEY="bad key with spaces" "$LBREC" config
check "an invalid secret is reported without its value" $([ $rc -eq 1 ] && [[ "$err" == *TMDB_KEY* && "$err" != *"bad key"* ]]; echo $?)

run "$LBREC" recommend 'bad name!'
check "invalid username exits 2" $([ $rc -eq 2 ] && [[ "$err" == *username* ]]; echo $?)
run "$LBREC" recommend demo --country XX
check "unsupported country exits 2" $([ $rc -eq 2 ] && [[ "$err" == *country* ]]; echo $?)
run "$LBREC" recommend demo --json --csv
check "--json and --csv exclude each other" $([ $rc -eq 2 ]; echo $?)
run env -u TMDB_KEY "$LBREC" serve
check "serve without TMDB_KEY says so and points to the demo (exit 1)" $([ $rc -eq 1 ] && [[ "$err" == *TMDB_KEY* && "$err" == *"lbrec demo"* ]]; echo $?)

run "$LBREC" fakeworld --films 300 --users 5 --export demo --out demo.zip
check "--export writes a zip" $([ $rc -eq 0 ] && [ "$(head -c 2 demo.zip)" = "PK" ]; echo $?)
run "$LBREC" fakeworld --films 300 --users 5 --export nobody
check "--export of an unknown member exits 2" $([ $rc -eq 2 ]; echo $?)
run "$LBREC" fakeworld --fault letterboxd:meteor
check "an unknown fault exits 2" $([ $rc -eq 2 ] && [[ "$err" == *meteor* ]]; echo $?)
run "$LBREC" fakeworld --markup 2019
check "an unknown markup exits 2" $([ $rc -eq 2 ]; echo $?)

# Start, serve a page a browser would open, stop on SIGTERM.
start_fakeworld --films 400 --users 5 --fault tmdb:latency=1
check "fakeworld reports its URL" $([ -n "$url" ]; echo $?)
code=$(curl -s -o page.html -w '%{http_code}' "$url/demo/films/")
check "fakeworld serves a films page" $([ "$code" = 200 ] && grep -q 'data-owner="demo"' page.html; echo $?)
# Profiles: read live through the whole fetch stack, and from the member's export ZIP.
export_counts=$(curl -s "$url/__users" | grep -o '"name":"demo","films":[0-9]*,"rated":[0-9]*,"liked":[0-9]*')
films=$(echo "$export_counts" | sed 's/.*"films":\([0-9]*\).*/\1/')
run env LETTERBOXD_BASE_URL="$url" LETTERBOXD_MIN_INTERVAL_S=0 "$LBREC" profile demo
check "profile reads every film of a member" $([ $rc -eq 0 ] && [[ "$out" == "demo: $films films"* && "$out" == *", live" ]]; echo $?)
live_line="$out"
"$LBREC" fakeworld --films 400 --users 5 --export demo --out demo400.zip >/dev/null
run "$LBREC" profile --zip demo400.zip
check "the export ZIP gives the same profile as the live pages" $([ $rc -eq 0 ] && [ "${out%, export}" = "${live_line%, live}" ]; echo $?)
run env LETTERBOXD_BASE_URL="$url" "$LBREC" profile demo --json
check "profile --json prints every film" $([ $rc -eq 0 ] && [ "$(echo "$out" | grep -o '"film":' | wc -l)" -eq "$films" ]; echo $?)
run env LETTERBOXD_BASE_URL="$url" "$LBREC" profile nobody-here
check "an unknown member is a one-line error" $([ $rc -eq 1 ] && [[ "$err" == *"no Letterboxd member 'nobody-here'"* ]]; echo $?)
curl -s -X POST "$url/__faults" -d '{"family":"letterboxd","fault":"challenge"}' >/dev/null
run env LETTERBOXD_BASE_URL="$url" CAMOUFOX_MAX_CONCURRENT=0 LETTERBOXD_RETRY_SLEEP_S=0 CACHE_PERSISTENT=false "$LBREC" profile demo
check "a bot wall says blocked, with the tiers tried" $([ $rc -eq 1 ] && [[ "$err" == *"blocked every fetch tier"* && "$err" == *"source=http2"* ]]; echo $?)
curl -s -X DELETE "$url/__faults" >/dev/null
run "$LBREC" profile
check "profile needs a user or --zip" $([ $rc -eq 2 ]; echo $?)
echo "not a zip" > bogus.zip
run "$LBREC" profile --zip bogus.zip
check "a file that is not an export is a clear error" $([ $rc -eq 1 ] && [ -n "$err" ]; echo $?)

# Recommendations in the terminal, through every stage, against the fake world.
fw_env=(env LETTERBOXD_BASE_URL="$url" TMDB_BASE_URL="$url" JUSTWATCH_URL="$url/graphql"
        TMDB_KEY=5f2b8c1e9a7d4e3f6b0c1d2e3f4a5b6c LETTERBOXD_MIN_INTERVAL_S=0 TMDB_RATE_LIMIT=400)
run "${fw_env[@]}" "$LBREC" recommend demo --country US --count 8
check "recommend prints a ranked table" $([ $rc -eq 0 ] && [[ "$out" == *"Recommendations for demo (United States)"* ]] && [ "$(echo "$out" | grep -cE '^ *[0-9]+  ')" -eq 8 ]; echo $?)
check "a TTY-less run prints no control characters" $(! printf '%s%s' "$out" "$err" | tr -d '\n' | LC_ALL=C grep -q '[[:cntrl:]]'; echo $?)
check "the progress reaches stderr" $([[ "$err" == *"films "*"identified"* ]]; echo $?)
run "${fw_env[@]}" "$LBREC" recommend demo --count 5 --csv
check "--csv is a Letterboxd import list" $([ $rc -eq 0 ] && [ "$(echo "$out" | head -1)" = "Title,Year,tmdbID,Directors" ] && [ "$(echo "$out" | wc -l)" -eq 6 ]; echo $?)
run "${fw_env[@]}" "$LBREC" recommend demo --count 5 --json
check "--json is the API payload" $([ $rc -eq 0 ] && echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["username"]=="demo" and len(d["recommendations"])==5 and all(r["reason"] for r in d["recommendations"]) and isinstance(d["recommendations"][0]["year"], str)'; echo $?)
run "${fw_env[@]}" "$LBREC" recommend --export demo400.zip --count 5 --csv
check "recommend reads an export ZIP" $([ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 6 ]; echo $?)
run "${fw_env[@]}" "$LBREC" recommend nobody-here
check "an unknown member: no movies found, exit 1" $([ $rc -eq 1 ] && [[ "$err" == *"No movies found"* ]]; echo $?)
run "${fw_env[@]}" TMDB_KEY=wrong-key-value CACHE_PERSISTENT=false "$LBREC" recommend demo --count 3
check "a rejected TMDB key is one clear error, key not shown" $([ $rc -eq 1 ] && [[ "$err" == *"TMDB"* && "$err" != *wrong-key-value* ]]; echo $?)
run env -u TMDB_KEY "$LBREC" recommend demo
check "without TMDB_KEY recommend says so" $([ $rc -eq 1 ] && [[ "$err" == *TMDB_KEY* ]]; echo $?)

# The persistent cache: the same question after a restart costs at most 5% of the first run's
# upstream calls (SQLite in LBREC_DATA_DIR), and the answer is the same. The request has no
# `count`: with one, exploration stops once the top settles, and how far it got depends on
# timing, so a second run may look up films the first never reached.
serve_once() {  # serve_once OUT.json: a fresh `lbrec serve`, one sync recommendation, SIGTERM
  local port code=000
  port=$(free_port)
  "${fw_env[@]}" LBREC_DATA_DIR="$work/restart" PORT=$port HOST=127.0.0.1 "$LBREC" serve >serve.out 2>>serve.err &
  local pid=$!
  for _ in $(seq 1 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/_health" || true)
    [ "$code" = 200 ] && break
    sleep 0.1
  done
  curl -s -X POST "$url/__reset" >/dev/null
  curl -s -o "$1" -H 'Content-Type: application/json' \
    -d '{"username":"demo","sync":true,"country":"US"}' "http://127.0.0.1:$port/api/recommend"
  calls=$(upstream_calls)
  kill -TERM "$pid"; wait "$pid"
}
serve_once first.json; first_calls=$calls
serve_once second.json; second_calls=$calls
echo "persistent cache: $first_calls upstream calls on the first run, $second_calls after a restart"
same_ids() { python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); ids=lambda d:[r["tmdb_id"] for r in d["recommendations"]]; assert ids(a)==ids(b) and len(ids(a))>=10' "$@"; }
check "a restarted service answers from its SQLite cache ($second_calls of $first_calls upstream calls)" \
  $([ "$first_calls" -gt 0 ] && [ $((second_calls * 20)) -le "$first_calls" ] && same_ids first.json second.json; echo $?)
check "the cache file is in LBREC_DATA_DIR" $([ -s "$work/restart/cache.sqlite3" ] && grep -q "event=cache_open level=sqlite" serve.err; echo $?)
printf 'this is not a database, and it must survive' > "$work/restart/cache.sqlite3"
rm -f "$work/restart/cache.sqlite3-wal" "$work/restart/cache.sqlite3-shm"
before=$(sha256sum "$work/restart/cache.sqlite3")
serve_once third.json
check "a corrupt cache file: one log line, memory-only, the file untouched" \
  $(grep -q "event=cache_memory_only" serve.err && [ "$(sha256sum "$work/restart/cache.sqlite3")" = "$before" ] && same_ids first.json third.json; echo $?)

kill -TERM "$fw_pid"
wait "$fw_pid"; rc=$?
fw_pid=""
check "fakeworld exits 0 on SIGTERM" $([ $rc -eq 0 ]; echo $?)

# The demo runs the service against the in-process fake world on PORT: it prints the URL and
# usernames, answers a whole recommendation, and stops gracefully on SIGTERM (exit 0).
port=$(free_port)
env -u TMDB_KEY PORT=$port LETTERBOXD_MIN_INTERVAL_S=0 "$LBREC" demo >demo.out 2>demo.err &
fw_pid=$!
code=000
for _ in $(seq 1 150); do
  code=$(curl -s -o health.json -w '%{http_code}' "http://127.0.0.1:$port/_health" || true)
  [ "$code" = 200 ] && break
  sleep 0.1
done
check "demo serves the API on PORT" $([ "$code" = 200 ] && grep -q '"status":"ok"' health.json; echo $?)
check "demo prints its URL and usernames to try" $(grep -q "http://127.0.0.1:$port/" demo.out && grep -q cinephile demo.out; echo $?)
code=$(curl -s -o index.html -w '%{http_code}' "http://127.0.0.1:$port/")
check "demo serves the landing page" $([ "$code" = 200 ] && grep -q '/static/app.js' index.html; echo $?)
code=$(curl -s -o result.json -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"username":"legacy_fan","count":5,"sync":true,"country":"GB"}' "http://127.0.0.1:$port/api/recommend")
check "demo answers a sync recommendation" $([ "$code" = 200 ] && [ "$(grep -o '"tmdb_id"' result.json | wc -l)" -eq 5 ]; echo $?)
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"username":"a b"}' "http://127.0.0.1:$port/api/recommend")
check "a bad username is a 400" $([ "$code" = 400 ]; echo $?)
# A long job is running when the signal comes: it is cancelled and the process still exits 0.
curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"username":"marathoner"}' "http://127.0.0.1:$port/api/recommend"
kill -TERM "$fw_pid"
wait "$fw_pid"; rc=$?
fw_pid=""
check "demo exits 0 on SIGTERM with a job running" $([ $rc -eq 0 ] && grep -q "event=service_stopped" demo.err; echo $?)
check "the access log has one line per request with its status" $(grep -q 'event=http method=POST path="/api/recommend" route=/api/recommend status=400' demo.err; echo $?)

report
