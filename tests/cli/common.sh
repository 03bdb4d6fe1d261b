# Sourced by the black-box test scripts: counting checks, and the fake world they run against.
# check NAME CONDITION-EXIT-CODE: one check, passed when the code is 0 (printed when it fails).
# report: the summary line; its exit status is the script's result.
# start_fakeworld ARGS...: `$LBREC fakeworld --port 0 ARGS` in the background (output in
#   fw.out/fw.err); sets fw_pid, and url once it listens (empty if it did not within 10 s).
# upstream_calls: requests the fake world has served since its last POST /__reset.
# free_port: a loopback port nobody listens on now.
passed=0
failed=0

check() {
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

report() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

start_fakeworld() {
  "$LBREC" fakeworld --port 0 "$@" >fw.out 2>fw.err &
  fw_pid=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'url=http://127.0.0.1:[0-9]*' fw.err | head -1 | cut -d= -f2)
    [ -n "$url" ] && break
    sleep 0.1
  done
}

upstream_calls() {
  curl -s "$url/__stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
