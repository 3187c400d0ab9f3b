#!/usr/bin/env bash
# Starts moto's S3 server (versioning, delete markers, conditional writes) on 127.0.0.1.
#   scripts/moto.sh run CMD...   start it, export SI_S3_ENDPOINT, run CMD, stop it.
#   scripts/moto.sh start        start it in the background and print the endpoint.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ensure_moto() {
  if [ ! -x "$MOTO_VENV/bin/moto_server" ]; then
    echo "setting up moto in $MOTO_VENV" >&2
    rm -rf "$MOTO_VENV"
    python3 -m venv "$MOTO_VENV"
    "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check 'moto[server]>=5.1.5' >&2
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
  ensure_moto
  local port; port=$(free_port)
  "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" > "${MOTO_LOG:-/dev/null}" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/data.json', timeout=1)" 2>/dev/null; then
      SI_S3_ENDPOINT="http://127.0.0.1:$port"; export SI_S3_ENDPOINT MOTO_PID; return 0
    fi
    sleep 0.2
  done
  echo "moto did not start on port $port" >&2; kill "$MOTO_PID" 2>/dev/null || true; return 1
}

case "${1:-}" in
  run)
    shift; start
    # Wait for it to be gone, so the run's leftover check never sees a server still shutting down.
    trap 'kill $MOTO_PID 2>/dev/null; wait $MOTO_PID 2>/dev/null || true' EXIT
    # Dummy credentials for the local server; real ones never appear in tests. The secret is a
    # canary: scripts/test.sh fails if it ever shows up in test output or the extension's logs.
    AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-testing} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-si-canary-secret-must-never-be-logged} \
      AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} "$@"
    ;;
  start) start; echo "$SI_S3_ENDPOINT $MOTO_PID" ;;
  install) ensure_moto ;;
  *) echo "usage: scripts/moto.sh run CMD... | start | install" >&2; exit 2 ;;
esac
