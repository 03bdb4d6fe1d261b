# Sourced by the black-box test scripts: counts checks and reports them.
# check NAME CONDITION-EXIT-CODE: one check, passed when the code is 0 (printed when it fails).
# report: the summary line; its exit status is the scripts' result.
passed=0
failed=0

check() {
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

report() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
