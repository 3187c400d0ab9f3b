#!/usr/bin/env bash
# Installs everything the demo and the tests need, skipping what is already there.
# Debian packages, npm packages, moto's S3 server (virtualenv) and code-server
# (VS Code 1.100.3 from npm) with its native modules rebuilt. Big parts are cached in $CACHE.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
mkdir -p "$CACHE"
export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES=(age gzip sqlite3 awscli coreutils b3sum chromium ripgrep libkrb5-dev python3-venv build-essential python3 util-linux postgresql postgresql-contrib restic time)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when the lockfile's content changed since the last install (not its mtime, which a
# git checkout touches). A symlinked node_modules (a git worktree sharing another's) is left alone.
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -L node_modules ]; then
  :
elif [ ! -d node_modules ] || [ "$(cat node_modules/.storage-inspector-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: npm ci"
  # zstd-napi (optional) compiles zstd at install; node-gyp takes Node's headers from the
  # installed package instead of downloading them, which this machine cannot.
  if [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.storage-inspector-lock
fi

bash scripts/moto.sh install

install_code_server() {
  local tmp="$CODE_SERVER_DIR.partial"
  rm -rf "$tmp"; mkdir -p "$tmp"
  echo "setup: installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (about two minutes, once)"
  (
    cd "$tmp"
    echo '{"name":"code-server-cache","private":true}' > package.json
    npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION"
    cd node_modules/code-server/lib/vscode
    npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts
    # ripgrep's install script downloads a binary; Debian's ripgrep stands in, so it skips the download.
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild --loglevel=error
    ln -sfn node_modules node_modules.asar
    ln -sfn code-linux.sh bin/remote-cli/code-server
    ln -sfn browser-linux.sh bin/helpers/browser.sh
    (cd extensions && npm install --no-audit --no-fund --loglevel=error --omit=dev)
    cd "$tmp"
    npm_config_yes=true npm rebuild --loglevel=error argon2
  )
  mv "$tmp" "$CODE_SERVER_DIR"
}
# The folder is renamed into place only when complete, so a broken install is never reused.
[ -f "$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js" ] || install_code_server
echo "setup: ready (cache: $CACHE)"
