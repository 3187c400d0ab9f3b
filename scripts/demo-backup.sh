#!/usr/bin/env bash
# Sample restic repository for the demo: a small project folder backed up three times, twice by
# Debian's restic (dated two days and one day ago) and once by Storage Inspector's own CLI, with
# edits, a new file and a deleted one in between, so snapshots, diffs and restores have something
# to show.
#   scripts/demo-backup.sh [WORKDIR]
# Writes WORKDIR/demo-backup-repositories.json (for storageInspector.backup.repositories). The
# password is in WORKDIR/repo-password.txt, which the entry names as its passwordFile.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
WORK="${1:-$(mktemp -d)}"
PROJECT="$WORK/project"
REPO="$WORK/repo"
PASSWORD_FILE="$WORK/repo-password.txt"
CLI="$ROOT/dist/cli.js"
[ -f "$CLI" ] || { echo "demo-backup: $CLI is missing; run node scripts/build.mjs first" >&2; exit 1; }
mkdir -p "$PROJECT/src" "$PROJECT/config" "$PROJECT/notes"
(umask 077; printf 'demo-backup-password\n' > "$PASSWORD_FILE")
restic() { /usr/bin/restic -r "$REPO" --password-file "$PASSWORD_FILE" --no-cache -q "$@"; }

printf '# Inventory service\n\nKeeps stock levels for the shop.\n' > "$PROJECT/README.md"
printf 'export function stock(sku) {\n  return 0;\n}\n' > "$PROJECT/src/stock.js"
printf '{\n  "port": 8080,\n  "replicas": 1\n}\n' > "$PROJECT/config/app.json"
printf '2026-11-28 ordered more widgets\n' | /usr/bin/gzip -c > "$PROJECT/notes/journal.txt.gz"
/usr/bin/sqlite3 "$PROJECT/inventory.db" "CREATE TABLE items(sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO items VALUES ('W-1', 40), ('G-7', 12);"
ln -sf config/app.json "$PROJECT/current-config"

restic init --repository-version 2
restic backup --host demo-laptop --tag daily --time "$(date -d '2 days ago' '+%Y-%m-%d 09:00:00')" "$PROJECT"

printf 'export function stock(sku) {\n  return inventory[sku] ?? 0;\n}\n' > "$PROJECT/src/stock.js"
printf '{\n  "port": 8080,\n  "replicas": 3\n}\n' > "$PROJECT/config/app.json"
printf 'export const inventory = {};\n' > "$PROJECT/src/inventory.js"
restic backup --host demo-laptop --tag daily --time "$(date -d '1 day ago' '+%Y-%m-%d 09:00:00')" "$PROJECT"

rm "$PROJECT/README.md"
/usr/bin/sqlite3 "$PROJECT/inventory.db" "UPDATE items SET qty = 35 WHERE sku = 'W-1';"
node "$CLI" backup -r "$REPO" --password-file "$PASSWORD_FILE" --host demo-laptop --tag storage-inspector "$PROJECT" > /dev/null

node -e 'console.log(JSON.stringify([{ id: "demo-backup", name: "Demo backups", path: process.argv[1], passwordFile: process.argv[2] }], null, 2))' "$REPO" "$PASSWORD_FILE" > "$WORK/demo-backup-repositories.json"
echo "demo-backup: 3 snapshots of $PROJECT in $REPO"
