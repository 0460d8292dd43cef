#!/usr/bin/env bash
# run-hss.sh - install what is needed, build, and run the HSS in the
# foreground: freeDiameterd with dict_cx.fdx and hss_cx.fdx on port
# ${HSS_PORT:-3868}, database and master key under var/ (created on first
# run, mode 0600). Ctrl-C stops it cleanly.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
BUILD_DIR=${BUILD_DIR:-$top/build} "$top/scripts/build.sh"
build=${BUILD_DIR:-$top/build}
conf=$("$top/scripts/hss-config.sh" --dir "$top/var" --fdx "$build/fdx" \
        --port "${HSS_PORT:-3868}" --identity "${HSS_IDENTITY:-hss.localdomain}" \
        --realm "${HSS_REALM:-localdomain}")
echo "run-hss.sh: starting freeDiameterd -c $conf (Ctrl-C to stop)"
exec freeDiameterd -c "$conf"
