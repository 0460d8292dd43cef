#!/usr/bin/env bash
# test_wal_bound.sh - the WAL bound end to end (README "Durability"): under
# constant MAR load the sweep thread's checkpoint alone never lets the WAL
# start over; with db_wal_mb = 1 the sweep catches up in rounds, hints the
# writer, and the writer's checkpoint between two batches restarts the WAL.
# Drives a real freeDiameterd with cx-bench (MAR AKA, 2,000
# provisioned users) for a few seconds and checks that the writer did
# checkpoint, that nothing failed on the way, and that every MAR was
# answered.
#
# usage: BUILD_DIR=... SRC_DIR=... tests/integration/test_wal_bound.sh
#
# SPDX-License-Identifier: BSD-2-Clause
set -euo pipefail
. "$(dirname "$0")/lib.sh"

USERS=2000
CX_BENCH=$BUILD_DIR/tools/cx-bench/cx-bench
[ -x "$CX_BENCH" ] || { echo "cx-bench not built: $CX_BENCH" >&2; exit 1; }

# Subscribers before the HSS starts (as run_bench.sh does): one transaction.
bench_users_import "$USERS" 120

# A 1 MiB bound (256 frames): crossed within the first second of load. No
# MAR lockout: cx-bench repeats users.
printf 'db_wal_mb = 1;\ndb_checkpoint_s = 1;\nmar_max_per_window = 1000000;\n' \
    > "$T_DIR/extra.conf"
hss_start --hss-extra "$T_DIR/extra.conf"

rc=0
timeout 60 "$CX_BENCH" --hss-port "$HSS_PORT" --users "$USERS" \
    --scenarios mar-aka --seconds 5 --warmup 1 --inflight 16 \
    --label wal --server-pid "$HSS_PID" > "$T_DIR/bench.out" 2>&1 || rc=$?
cat "$T_DIR/bench.out"
check "cx-bench: every MAR answered with success" 0 "$rc"

hss_stop
line=$(grep -o 'writer stopped: .*' "$HSS_LOG" | tail -n 1)
echo "freeDiameterd: $line"
ckpts=$(echo "$line" | sed -n 's/.*; \([0-9][0-9]*\) WAL checkpoints.*/\1/p')
check "the writer checkpointed the WAL at least once" yes \
    "$([ "${ckpts:-0}" -ge 1 ] && echo yes || echo "no (${ckpts:-none})")"
check "no checkpoint or database sync failed" 0 \
    "$(grep -c 'WAL checkpoint failed\|database sync failed' "$HSS_LOG" || true)"
t_done
