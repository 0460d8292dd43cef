#!/usr/bin/env bash
# test.sh - install what is needed, build with warnings as errors, and run
# every test (unit, integration, interop). Benchmarks (label bench) are not
# part of it: run `ctest --test-dir build -L bench` for those.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
export BUILD_DIR=${BUILD_DIR:-$top/build}
"$top/scripts/build.sh" -DHSS_WERROR=ON
ctest --test-dir "$BUILD_DIR" -LE bench --output-on-failure --timeout 600 "$@"
