#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the bench: a temp folder owned by the unprivileged
# `postgres` user, 127.0.0.1 on a free port, scram-sha-256 passwords, TLS with a CA made for this run,
# and the fixtures of test/support/pgFixtures.sql plus `pgbench -i -s 10` (1,000,000 rows).
#   scripts/pg.sh run CMD...   start it, export SI_PG_*, run CMD, stop it (whatever CMD does).
#   scripts/pg.sh start        start it and print `export SI_PG_...` lines; `scripts/pg.sh stop` ends it.
#   scripts/pg.sh stop         stop the cluster named by SI_PG_DIR and remove its folder.
# SI_PG_SCALE overrides pgbench's scale (10 = 1,000,000 rows).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# The test user's password is a canary: scripts/test.sh fails if it shows up in any output or log.
SI_PG_PASSWORD=${SI_PG_PASSWORD:-si-canary-pg-password-must-never-be-logged}
SI_PG_ADMIN_PASSWORD=${SI_PG_ADMIN_PASSWORD:-si-canary-pg-admin-must-never-be-logged}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# initdb and postgres refuse to run as root, so root runs them as `postgres`; anyone else as themselves.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

make_tls() { # a CA for this run, a server certificate for 127.0.0.1 only, and an unrelated CA
  local d="$1"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=si-test-ca" -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' > "$d/san.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/san.ext" -out "$d/server.crt" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=si-other-ca" -keyout "$d/other-ca.key" -out "$d/other-ca.crt" 2>/dev/null
  rm -f "$d/ca.key" "$d/other-ca.key" "$d/server.csr" "$d/san.ext"
  chmod 600 "$d/server.key"
}

start() {
  local bin; bin=$(pg_bin)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: run scripts/setup.sh" >&2; return 1; }
  SI_PG_DIR=$(mktemp -d /tmp/si-pg.XXXXXX)
  chmod 755 "$SI_PG_DIR"
  make_tls "$SI_PG_DIR"
  printf '%s\n' "$SI_PG_ADMIN_PASSWORD" > "$SI_PG_DIR/pwfile"
  [ "$(id -u)" = 0 ] && chown -R postgres "$SI_PG_DIR"
  as_owner "$bin/initdb" -D "$SI_PG_DIR/data" -A scram-sha-256 --pwfile="$SI_PG_DIR/pwfile" -U postgres >/dev/null
  rm -f "$SI_PG_DIR/pwfile"
  cat > "$SI_PG_DIR/data/pg_hba.conf" <<'EOF'
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
EOF
  SI_PG_PORT=$(free_port)
  cat >> "$SI_PG_DIR/data/postgresql.conf" <<EOF
port = $SI_PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SI_PG_DIR'
ssl = on
ssl_cert_file = '$SI_PG_DIR/server.crt'
ssl_key_file = '$SI_PG_DIR/server.key'
shared_preload_libraries = 'pg_stat_statements'
fsync = off
max_connections = 60
EOF
  as_owner "$bin/pg_ctl" -D "$SI_PG_DIR/data" -l "$SI_PG_DIR/log" -w -t 60 start >/dev/null
  SI_PG_HOST=127.0.0.1 SI_PG_CA="$SI_PG_DIR/ca.crt" SI_PG_OTHER_CA="$SI_PG_DIR/other-ca.crt"
  SI_PG_USER=si_test SI_PG_DB=si_fixtures SI_PG_ADMIN_USER=postgres SI_PG_BIN="$bin" SI_PG_DATA="$SI_PG_DIR/data"
  export SI_PG_DIR SI_PG_PORT SI_PG_HOST SI_PG_CA SI_PG_OTHER_CA SI_PG_USER SI_PG_DB SI_PG_ADMIN_USER SI_PG_BIN SI_PG_DATA
  fixtures "$bin"
}

fixtures() {
  local bin="$1" root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local admin=(env PGPASSWORD="$SI_PG_ADMIN_PASSWORD" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SI_PG_PORT" -U postgres)
  "${admin[@]}" -d postgres -c "CREATE ROLE si_test LOGIN PASSWORD '$SI_PG_PASSWORD'" \
    -c "CREATE DATABASE si_fixtures OWNER si_test" >/dev/null
  "${admin[@]}" -d si_fixtures -f "$root/test/support/pgFixtures.sql" >/dev/null
  # A failed CONCURRENTLY build leaves an INVALID index behind (both rows have the same key).
  PGPASSWORD="$SI_PG_PASSWORD" "$bin/psql" -X -q -h 127.0.0.1 -p "$SI_PG_PORT" -U si_test -d si_fixtures \
    -c 'CREATE UNIQUE INDEX CONCURRENTLY orders_one_invalid ON shop.orders ((1))' >/dev/null 2>&1 || true
  PGPASSWORD="$SI_PG_PASSWORD" "$bin/pgbench" -i -q -s "${SI_PG_SCALE:-10}" -h 127.0.0.1 -p "$SI_PG_PORT" -U si_test si_fixtures >/dev/null 2>&1
  "${admin[@]}" -d si_fixtures -c 'ANALYZE' >/dev/null
}

stop() {
  [ -n "${SI_PG_DIR:-}" ] && [ -d "$SI_PG_DIR" ] || return 0
  local bin; bin=$(pg_bin)
  if [ -f "$SI_PG_DIR/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$SI_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$SI_PG_DIR"
}

case "${1:-}" in
  run)
    shift
    trap stop EXIT
    start
    SI_PG_PASSWORD="$SI_PG_PASSWORD" SI_PG_ADMIN_PASSWORD="$SI_PG_ADMIN_PASSWORD" "$@"
    ;;
  start)
    start
    for v in SI_PG_DIR SI_PG_PORT SI_PG_HOST SI_PG_CA SI_PG_OTHER_CA SI_PG_USER SI_PG_DB SI_PG_ADMIN_USER SI_PG_BIN SI_PG_DATA; do
      printf 'export %s=%q\n' "$v" "${!v}"
    done
    ;;
  stop) stop ;;
  *) echo "usage: scripts/pg.sh run CMD... | start | stop" >&2; exit 2 ;;
esac
