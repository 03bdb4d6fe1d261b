#!/usr/bin/env bash
# The web UI's end-to-end tests: Debian's headless Chromium, driven by playwright-core (npm),
# against `lbrec demo` (fake world in-process, loopback only).
#
#   tests/e2e/run.sh --install            install playwright-core from package-lock.json if needed
#   tests/e2e/run.sh SUITE [LBREC_BINARY] run tests/e2e/SUITE.test.mjs (live, errors)
#
# ctest runs both (label e2e, after an e2e_setup fixture that does --install). Screenshots and the
# exported CSV land in tests/e2e/artifacts/. Playwright never downloads a browser here: it uses
# CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

fail() {
  echo "e2e: $*" >&2
  exit 1
}

command -v node >/dev/null || fail "node is not installed (scripts/bootstrap installs Debian's nodejs)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
  fail "node $(node --version) is too old: 18 or newer is needed"
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM (scripts/bootstrap installs Debian's chromium)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

installed() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json")).packages["node_modules/playwright-core"].version;
    let have = "";
    try { have = JSON.parse(fs.readFileSync("node_modules/playwright-core/package.json")).version; } catch (e) {}
    process.exit(want === have ? 0 : 1);'
}

install() {
  if installed; then return 0; fi
  command -v npm >/dev/null || fail "npm is not installed (scripts/bootstrap installs Debian's npm)"
  echo "e2e: installing playwright-core (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed"
  installed || fail "npm ci did not install the locked playwright-core"
}

if [ "${1:-}" = "--install" ]; then
  install
  echo "e2e: playwright-core ready"
  exit 0
fi

suite=${1:?usage: run.sh --install | run.sh SUITE [LBREC_BINARY]}
[ -f "$suite.test.mjs" ] || fail "no suite $suite.test.mjs"
if [ -n "${2:-}" ]; then export LBREC_BIN=$2; fi
install
mkdir -p artifacts

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
node --test --test-reporter=spec "$suite.test.mjs" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)
echo "e2e $suite: ${passed:-0} passed, ${failed:-0} failed (screenshots in tests/e2e/artifacts/)"
if [ "$rc" -ne 0 ] && [ "${failed:-0}" = 0 ]; then
  echo "e2e $suite: node exited $rc" >&2
fi
exit "$rc"
