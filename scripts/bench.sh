#!/usr/bin/env bash
# Prints every benchmark figure next to its baseline or peer. BENCH_QUICK=1 shrinks the data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >/dev/null
node scripts/build.mjs --production --tests
echo "== activation"
node --import tsx bench/activation.ts
for area in codec local sql; do
  if [ -f "bench/$area.ts" ]; then echo "== $area"; node --import tsx "bench/$area.ts"; fi
done
if [ -f bench/s3.ts ]; then echo "== s3"; bash scripts/moto.sh run node --import tsx bench/s3.ts; fi
if [ -f bench/pg.ts ]; then echo "== pg"; bash scripts/pg.sh run node --expose-gc --import tsx bench/pg.ts; fi
