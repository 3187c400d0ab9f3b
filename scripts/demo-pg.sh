#!/usr/bin/env bash
# The PostgreSQL sample for the demo: the cluster of scripts/pg.sh (its fixtures have every
# constraint kind, every index kind, partitions, a foreign table, views, a sequence, RLS and a
# 1,000,000-row pgbench_accounts), seen through one saved connection. Writes into DIR:
#   demo-pg-connection.json  the storageInspector.pg.connections entry (nothing secret)
#   pgpass                   the password, mode 0600, for PGPASSFILE (libpq's ~/.pgpass format)
# Usage (inside `scripts/pg.sh run ...`, which exports SI_PG_*): scripts/demo-pg.sh DIR
set -euo pipefail
DIR="${1:?usage: demo-pg.sh DIR}"
: "${SI_PG_PORT:?no PostgreSQL cluster: run under scripts/pg.sh run}"
mkdir -p "$DIR"
umask 077
# ~/.pgpass escapes ':' and '\' in its fields.
printf '%s:%s:*:%s:%s\n' "$SI_PG_HOST" "$SI_PG_PORT" "$SI_PG_USER" "$(printf '%s' "$SI_PG_PASSWORD" | sed 's/[\\:]/\\&/g')" > "$DIR/pgpass"
chmod 600 "$DIR/pgpass"
umask 022
cat > "$DIR/demo-pg-connection.json" <<JSON
[{"id": "demo-pg", "name": "Demo PostgreSQL", "host": "$SI_PG_HOST", "port": $SI_PG_PORT, "database": "$SI_PG_DB",
  "user": "$SI_PG_USER", "sslmode": "verify-full", "sslrootcert": "$SI_PG_CA"}]
JSON
q() { PGPASSFILE="$DIR/pgpass" PGSSLMODE=verify-full PGSSLROOTCERT="$SI_PG_CA" "$SI_PG_BIN/psql" -X -A -t -h "$SI_PG_HOST" -p "$SI_PG_PORT" -U "$SI_PG_USER" -d "$SI_PG_DB" -c "$1"; }
# Fresh statistics, so the tree's row counts and the Statistics documents have figures.
q 'SET client_min_messages = error; ANALYZE' >/dev/null
echo "demo-pg: $SI_PG_USER@$SI_PG_HOST:$SI_PG_PORT/$SI_PG_DB over verified TLS; $(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema')") tables, $(q "SELECT count(*) FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog','information_schema')") indexes ($(q "SELECT string_agg(DISTINCT am.amname, ', ' ORDER BY am.amname) FROM pg_class i JOIN pg_am am ON am.oid = i.relam WHERE i.relkind = 'i'")), $(q 'SELECT count(*) FROM pgbench_accounts') rows in pgbench_accounts"
