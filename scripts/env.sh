# Shared paths for the project's scripts. Source it; it sets no shell options.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Big downloads live outside the clone so that every clone on this machine reuses them.
CACHE="${STORAGE_INSPECTOR_CACHE:-$HOME/.cache/storage-inspector}"
CODE_SERVER_VERSION=4.100.3
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
MOTO_VENV="$CACHE/moto-venv"
# Debian's CLIs, named by path so that a pyenv or npm shim never stands in for them.
AWS_CLI=/usr/bin/aws
export ROOT CACHE CODE_SERVER_VERSION CODE_SERVER_DIR MOTO_VENV AWS_CLI
