#!/usr/bin/env bash
# The qapi-qmp-check hook of .pre-commit-hooks.yaml. pre-commit runs it from its clone of
# this repository with the staged QAPI schemas and QMP scripts as arguments. The first run
# builds the command line there (npm ci + esbuild, a minute or two, output on stderr);
# later runs only check. Exit status: check's (0 clean, 1 errors, 2 bad usage).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$here/dist/cli.js" ]; then
  echo "qapi-qmp-check: building the qapi-qmp command line once in $here" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2 && node scripts/build.mjs --production >&2)
fi
exec node "$here/dist/cli.js" check "$@"
