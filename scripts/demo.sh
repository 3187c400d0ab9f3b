#!/usr/bin/env bash
# Sets everything up and runs Storage Inspector in a real VS Code (code-server) with sample data:
# a local root with plain, gzip and age files, a SQLite database, a versioned S3 bucket on a
# local S3 server, a PostgreSQL cluster (scripts/pg.sh) with a saved connection, and a restic
# repository with a few snapshots. Prints the URL to open; Ctrl-C stops it all.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
npm run -s package

DEMO="${DEMO_DIR:-$ROOT/.cache/demo}"
PORT="${DEMO_PORT:-8080}"
rm -rf "$DEMO"; mkdir -p "$DEMO/workspace" "$DEMO/user" "$DEMO/extensions"
export DEMO PORT
exec bash scripts/pg.sh run bash scripts/moto.sh run node --import tsx scripts/demo.ts
