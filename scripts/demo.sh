#!/usr/bin/env bash
# The main job on the bundled examples: check every schema and script, then show
# the convergence verdict for the example scenarios, then a live migration watched
# and unblocked by `qapi-qmp watch --apply`. Diagnostics marked as intended
# in the example scripts are expected, so `check` exiting 1 is not a failure here.
set -uo pipefail
cd "$(dirname "$0")/.."
# Install what is missing first, so a fresh clone needs no other command.
[ -d node_modules/esbuild ] || npm ci --no-audit --no-fund || exit 2
# The live part needs a QEMU and gcc/ld for its tiny guest (Debian packages).
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v gcc >/dev/null || need+=(gcc)
command -v ld >/dev/null || need+=(binutils)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "demo: installing ${need[*]}"
  { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"; } >/dev/null \
    || echo "demo: could not install ${need[*]}; the live part says what is missing"
fi
node scripts/build.mjs || exit 2
echo "== qapi-qmp check examples/"
node dist/cli.js check examples/
status=$?
[ $status -le 1 ] || exit $status
for s in examples/scenarios/*.json; do
  [ -e "$s" ] || continue
  echo; echo "== qapi-qmp converge $s"
  node dist/cli.js converge "$s"
  [ $? -le 1 ] || exit 1
done
# Live: a real QEMU migrates, `qapi-qmp watch --apply` names the seed's case and unblocks it
# (skipped with a message when no QEMU or no gcc is installed).
echo
node --import tsx scripts/live-demo.ts || exit 1
echo "(In VS Code the same watch is drawn in the convergence preview, with Apply now: QEMU: Connect to QMP…, then open the preview; a recording replays there too.)"
exit 0
