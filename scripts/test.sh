#!/usr/bin/env bash
# Sets everything up and runs every suite: type check, lint, unit and interop tests (plain Node),
# the packaged .vsix in code-server (UI), and the integration suites inside a real VS Code
# extension host talking to a real S3 server. Ends with one line: N passed, N failed, N skipped.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

# Every process this run starts inherits the id; scripts/leftovers.mjs finds any left at the end.
SI_RUN_ID="run-$$-$(date +%s%N)"; export SI_RUN_ID

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
check() { # a named check that counts as one test
  local name="$1"; shift
  echo "== $name"
  if "$@"; then echo '{"passed":1,"failed":0,"skipped":0}' > "$results/$name.json"
  else echo "$name FAILED"; echo '{"passed":0,"failed":1,"skipped":0}' > "$results/$name.json"; fi
}

check typecheck npx tsc --noEmit -p .
check lint npx eslint src test
check package npm run -s package
check build node scripts/build.mjs

export SI_FIXTURES="$results/fixtures" SI_LOG_DIR="$results/logs" SI_FAULT_LEDGER="$results/faults.jsonl"
mkdir -p "$SI_FIXTURES" "$SI_LOG_DIR"
bash scripts/pg.sh run bash scripts/moto.sh run bash -c '
  echo "== unit and interop suites (plain Node; S3 at $SI_S3_ENDPOINT, PostgreSQL on port $SI_PG_PORT)"
  node scripts/run-unit.mjs "$0/unit.json" test/unit
  # The UI suites get an S3 server of their own: the buckets the unit suites leave would push
  # theirs below the fold of the S3 view, where a user (and Playwright) cannot see them.
  echo "== UI suites (the packaged .vsix in code-server; its own S3 server)"
  bash scripts/moto.sh run node scripts/run-unit.mjs "$0/ui.json" test/ui
  echo "== integration suites (real VS Code extension host in code-server)"
  node --import tsx test/support/runIntegration.ts "$0/integration.json"
' "$results" 2>&1 | tee "$results/output.log"

# Secrets stay secret: no age identity and neither the canary S3 secret nor the canary PostgreSQL
# passwords (scripts/pg.sh) in any output or extension log.
secrets_absent() {
  local hits
  hits=$(grep -rlE 'AGE-SECRET-KEY-1[0-9A-Z]{20}|si-canary-secret-must-never-be-logged|si-canary-pg-[a-z]+-must-never-be-logged' "$results/output.log" "$SI_LOG_DIR" 2>/dev/null)
  [ -z "$hits" ] || { echo "a secret appeared in: $hits"; return 1; }
}
check secrets secrets_absent
check processes-ended node scripts/leftovers.mjs "$SI_RUN_ID"

# The fault suite's summary (test/support/faultLedger.ts): what was injected and what it cost.
node -e '
  const fs = require("fs"), file = process.argv[1];
  const rows = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  console.log(`fault suite: ${rows.length} faults injected, ${sum("operations")} operations, ${sum("bytesLost")} bytes lost`);
' "$SI_FAULT_LEDGER"

node -e '
  const fs = require("fs"), dir = process.argv[1];
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const c = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    for (const k of Object.keys(t)) t[k] += c[k] || 0;
  }
  const expected = ["typecheck", "lint", "package", "build", "unit", "ui", "integration", "secrets", "processes-ended"];
  const missing = expected.filter((s) => !fs.existsSync(`${dir}/${s}.json`));
  if (missing.length) { console.log(`suites that reported nothing: ${missing.join(", ")}`); t.failed += missing.length; }
  console.log(`${t.passed} passed, ${t.failed} failed` + (t.skipped ? `, ${t.skipped} skipped` : ""));
  process.exit(t.failed > 0 ? 1 : 0);
' "$results"
