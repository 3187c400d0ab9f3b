#!/usr/bin/env bash
# Makes the Local view's demo root in DIR: plain, gzip and age files made with the standard CLIs,
# and DIR/demo-identity.txt (from age-keygen) that decrypts them. The demo points
# STORAGE_INSPECTOR_IMPORT_IDENTITY at that file, so decoding works at once.
# Usage: bash scripts/demo-local.sh DIR
set -euo pipefail
DIR="${1:?usage: demo-local.sh DIR}"
AGE=/usr/bin/age
mkdir -p "$DIR/logs" "$DIR/config" "$DIR/notes"
cd "$DIR"

rm -f demo-identity.txt
/usr/bin/age-keygen -o demo-identity.txt 2>/dev/null
RECIPIENT="$(/usr/bin/age-keygen -y demo-identity.txt)"

cat > README.md <<'MD'
# Demo root
Plain files open as themselves. `*.gz`, `*.age` and `*.gz.age` open decoded (try editing
`config/app.json.gz.age` and saving: it is re-compressed and re-encrypted to the same key).
`notes/mystery` is gzip with no `.gz` in its name: its badge comes from its first bytes.
Right-click `config` for "Write Manifest", then change a file and "Verify Manifest".
MD
cat > config/app.json <<'JSON'
{
  "service": "storage-inspector-demo",
  "port": 8080,
  "features": { "versions": true, "checksums": true },
  "owners": ["alice", "bob"]
}
JSON
printf 'DATABASE_URL=postgres://demo@localhost/demo\nLOG_LEVEL=debug\n' > config/secrets.env

# gzip, then age: the pipeline order (name.ext.gz.age).
/usr/bin/gzip -c config/app.json | "$AGE" -r "$RECIPIENT" -o config/app.json.gz.age
"$AGE" -r "$RECIPIENT" -o config/secrets.env.age config/secrets.env
"$AGE" -a -r "$RECIPIENT" -o notes/armored.txt.age README.md
rm config/secrets.env

for day in 01 02 03; do
  for i in $(seq 1 200); do
    printf '{"ts":"2026-11-%sT10:%02d:00Z","level":"info","msg":"request %d served","ms":%d}\n' "$day" $((i % 60)) "$i" $((i * 7 % 300))
  done > "logs/app-2026-11-$day.jsonl"
  /usr/bin/gzip -f -6 "logs/app-2026-11-$day.jsonl"
done
printf 'To do: rotate the demo key.\n' | /usr/bin/gzip -c > notes/mystery
printf 'Plain text, opened as itself.\n' > notes/plain.txt

echo "demo-local: root $DIR ($(find "$DIR" -type f | wc -l) files), identity $DIR/demo-identity.txt (recipient $RECIPIENT)"
