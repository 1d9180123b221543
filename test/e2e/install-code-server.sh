#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into a cache
# directory outside the repository. Idempotent: does nothing when it is already there.
# Needs Debian packages libkrb5-dev (kerberos native module) and ripgrep (its rg replaces the
# ripgrep download, which cannot reach GitHub from these machines).
set -euo pipefail

VERSION=4.100.3
DIR="${QAPI_E2E_CODE_SERVER_DIR:-$HOME/.cache/qapi-qmp-e2e/code-server}"
BIN="$DIR/node_modules/.bin/code-server"

if [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null | head -1 | cut -d' ' -f1)" = "$VERSION" ]; then
  echo "code-server $VERSION already installed in $DIR"
  exit 0
fi

RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  echo "ripgrep is missing: apt-get install -y ripgrep" >&2
  exit 1
fi
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "libkrb5-dev is missing: apt-get install -y libkrb5-dev" >&2
  exit 1
fi

# @vscode/ripgrep's postinstall uses this cached asset instead of downloading from GitHub.
TMP="${TMPDIR:-/tmp}"
CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
ASSET="$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$ASSET" ]; then
  mkdir -p "$CACHE"
  STAGE="$(mktemp -d)"
  cp "$RG" "$STAGE/rg"
  tar -czf "$ASSET" -C "$STAGE" rg
  rm -rf "$STAGE"
fi

mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"qapi-qmp-e2e-code-server","private":true}' > package.json
export npm_config_yes=true npm_config_unsafe_perm=true
npm install --no-audit --no-fund "code-server@$VERSION"
"$BIN" --version
