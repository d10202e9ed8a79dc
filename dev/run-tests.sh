#!/usr/bin/env bash
# Runs every test stage against the local Rucio and prints one summary line: "N passed, N failed".
# Called by `make test` after the environments are installed; each stage runs even if an earlier
# one failed, so one run shows everything that is broken.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.venv/bin:$PATH"
LOGS="$ROOT/.ci-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"

passed=0
failed=0
failures=()

record() {  # stage-name passed failed
  passed=$((passed + $2))
  failed=$((failed + $3))
  echo "== $1: $2 passed, $3 failed"
  [[ $3 -gt 0 ]] && failures+=("$1")
}

check() {  # one pass/fail check: name command...
  local name=$1; shift
  if "$@" >"$LOGS/$name.log" 2>&1; then record "$name" 1 0; else
    tail -40 "$LOGS/$name.log"; record "$name" 0 1; fi
}

json_counts() {  # python expression over the loaded JSON `d` printing "passed failed"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null || echo "0 1"
}

junit_counts() {  # pytest's junit XML -> "passed failed"
  python3 - "$1" <<'PY' 2>/dev/null || echo "0 1"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
tests = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
# A skipped test counts as failed: every skip must be explained and fixed, not hidden.
print(tests - bad - skipped, bad + skipped)
PY
}

echo "== starting the local Rucio"
if ! bash dev/rucio.sh up >"$LOGS/rucio-up.log" 2>&1; then
  tail -40 "$LOGS/rucio-up.log"; echo "the local Rucio did not start"; echo "0 passed, 1 failed"; exit 1
fi

echo "== lint"
check eslint jlpm eslint:check
check prettier jlpm prettier:check
check ruff-check ruff check .
check ruff-format ruff format --check .

echo "== jest"
jlpm jest --ci --json --outputFile="$LOGS/jest.json" >"$LOGS/jest.log" 2>&1
tail -15 "$LOGS/jest.log"
read -r p f < <(json_counts "$LOGS/jest.json" \
  "d['numPassedTests'], d['numFailedTests'] + d['numRuntimeErrorTestSuites']")
record jest "$p" "$f"

echo "== pytest"
# The JupyterHub tests run in their own stage below.
pytest -q -p no:cacheprovider --junitxml="$LOGS/pytest.xml" --ignore=jupyterlab_rucio/tests/test_hub.py \
  >"$LOGS/pytest.log" 2>&1
tail -25 "$LOGS/pytest.log"
read -r p f < <(junit_counts "$LOGS/pytest.xml")
record pytest "$p" "$f"

echo "== API fuzzing (schemathesis, every operation of openapi.yaml)"
fuzz_cases=0
if python dev/fuzz_api.py --examples 60 --min-cases 1000 --summary "$LOGS/fuzz.json" \
  --log "$LOGS/fuzz.log" >"$LOGS/fuzz-run.log" 2>&1; then record fuzz 1 0; else
  tail -120 "$LOGS/fuzz-run.log"; record fuzz 0 1; fi
read -r fuzz_cases < <(json_counts "$LOGS/fuzz.json" "d['cases']") || true
echo "   generated cases: ${fuzz_cases:-0}"

echo "== Playwright UI tests (Debian chromium)"
(cd ui-tests && PLAYWRIGHT_JSON_OUTPUT_NAME="$LOGS/playwright.json" \
  npx playwright test --reporter=list,json) >"$LOGS/playwright.log" 2>&1
grep -E "✓|✘|passed|failed|flaky|Error" "$LOGS/playwright.log" | tail -40
read -r p f < <(json_counts "$LOGS/playwright.json" \
  "d['stats']['expected'] + d['stats'].get('flaky', 0), d['stats']['unexpected'] + d['stats'].get('skipped', 0)")
record playwright "$p" "$f"

echo "== JupyterHub (dev/hub.sh: sign-in at the hub, the users' servers, token renewal)"
hub_started=$SECONDS
pytest -q -p no:cacheprovider --junitxml="$LOGS/hub-pytest.xml" jupyterlab_rucio/tests/test_hub.py \
  >"$LOGS/hub-pytest.log" 2>&1
tail -15 "$LOGS/hub-pytest.log"
read -r p f < <(junit_counts "$LOGS/hub-pytest.xml")
record hub-pytest "$p" "$f"
if bash dev/hub.sh up >"$LOGS/hub-up.log" 2>&1; then
  (cd ui-tests && PLAYWRIGHT_JSON_OUTPUT_NAME="$LOGS/hub-playwright.json" \
    npx playwright test -c playwright.hub.config.js --reporter=list,json) >"$LOGS/hub-playwright.log" 2>&1
  grep -E "✓|✘|passed|failed|Error" "$LOGS/hub-playwright.log" | tail -20
  read -r p f < <(json_counts "$LOGS/hub-playwright.json" \
    "d['stats']['expected'], d['stats']['unexpected'] + d['stats'].get('skipped', 0)")
  record hub-playwright "$p" "$f"
else
  tail -40 "$LOGS/hub-up.log"; record hub-playwright 0 1
fi
bash dev/hub.sh down >>"$LOGS/hub-up.log" 2>&1
echo "   JupyterHub stage: $((SECONDS - hub_started)) s"

echo
[[ ${#failures[@]} -gt 0 ]] && echo "failing stages: ${failures[*]} (logs in .ci-logs/)"
echo "$passed passed, $failed failed (API fuzzing: ${fuzz_cases:-0} generated cases)"
[[ $failed -eq 0 ]]
