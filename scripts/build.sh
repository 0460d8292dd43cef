#!/usr/bin/env bash
# build.sh - configure and build webrtc-hss into ${BUILD_DIR:-build}.
# Extra CMake options may follow, e.g. ./scripts/build.sh -DHSS_WERROR=ON
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
