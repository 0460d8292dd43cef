#!/usr/bin/env bash
# run_bench.sh - the Cx benchmark of issue 4: the HSS against a baseline in
# the same run.
#
# Provisions BENCH_USERS subscribers (default 1,000,000: bench{N}@localdomain,
# sip:bench{N}@localdomain, SIP Digest MD5 + IMS AKA) with `hssctl import`,
# starts freeDiameterd with dict_cx.fdx + hss_cx.fdx on that database (the
# integration tests' hss_start) and a second freeDiameterd, same
# configuration, with cx_echo.fdx (canned answers, no store) in place of
# hss_cx.fdx; runs tools/cx-bench for every scenario against one then the
# other (BENCH_ROUNDS times, the order swapped each round), and once more
# for full registrations paced at half the HSS's peak.
# Prints one table: HSS figures, their ratio to the baseline, the targets
# and whether each is met; then bench-decide's CPU time per MAR/SAR of the
# writer thread alone (what bounds the MAR/SAR rate). Never fails on timings (STYLE G21); fails when
# requests fail or time out. Every process is stopped by PID and every
# wait is bounded.
#
# Environment: BUILD_DIR, SRC_DIR (set by ctest); BENCH_USERS (1000000),
# BENCH_SECONDS (10), BENCH_WARMUP (2), BENCH_INFLIGHT (64), BENCH_ROUNDS
# (1), T_KEEP=1 keeps the working directory.
#
# Rounds: on a shared machine the baseline itself moves by a third between
# minutes, so one HSS/baseline pair can put the same code on either side of
# a target. With BENCH_ROUNDS = N every scenario runs N HSS/baseline pairs
# back to back (base first in even rounds); the table shows the median of
# each figure, the median of the N per-pair ratios, and every ratio. Later
# rounds meet a warmer state (users registered, authentications pending).
#
# SPDX-License-Identifier: BSD-2-Clause
source "$SRC_DIR/tests/integration/lib.sh"

USERS=${BENCH_USERS:-1000000}
SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
INFLIGHT=${BENCH_INFLIGHT:-64}
ROUNDS=${BENCH_ROUNDS:-1}
CX_BENCH=$BUILD_DIR/tools/cx-bench/cx-bench
BENCH_DECIDE=$BUILD_DIR/tests/bench/cx/bench-decide
ECHO_FDX=$BUILD_DIR/fdx/cx_echo.fdx
TSV=$T_DIR/results.tsv
FAILED=0
for v in "$USERS" "$SECS" "$WARMUP" "$INFLIGHT" "$ROUNDS"; do
  case "$v" in ''|*[!0-9]*) echo "run_bench: BENCH_* must be integers" >&2; exit 2 ;; esac
done
for f in "$CX_BENCH" "$ECHO_FDX" "$HSSCTL" "$BENCH_DECIDE"; do
  [ -e "$f" ] || { echo "run_bench: $f not built" >&2; exit 2; }
done

# provision: a fresh database with USERS subscribers, timed.
provision() {
  local t0 t1
  t0=$(date +%s.%N)
  bench_users_import "$USERS" 3600
  t1=$(date +%s.%N)
  PROVISION_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  echo "provisioned $USERS subscribers in $PROVISION_S s (CSV + hssctl import, md5 + AKA)"
}

# bench LABEL PORT PID [cx-bench options]: one cx-bench run appending to
# $TSV, against the daemon listening on PORT (PID: its CPU time is read).
bench() {
  local label=$1 port=$2 pid=$3 rc=0; shift 3
  timeout $(( (SECS + WARMUP + 20) * 2 + 60 )) "$CX_BENCH" \
      --hss-port "$port" --users "$USERS" --seconds "$SECS" \
      --warmup "$WARMUP" --label "$label" --tsv "$TSV" \
      --server-pid "$pid" "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "run_bench: cx-bench ($label) exited $rc" >&2; FAILED=1
  fi
}

# peak_rate LABEL SCENARIO: req/s of that row, 0 if absent.
# The median of the rates measured for label and scenario.
peak_rate() {
  awk -F'\t' -v l="$1" -v s="$2" '$1 == l && $2 == s { print $3 }' "$TSV" |
    sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] + 0 : 0 }'
}

# echo_start: a second freeDiameterd, same configuration but its own port
# and cx_echo.fdx in place of hss_cx.fdx. Sets ECHO_PID, ECHO_PORT.
echo_start() {
  local conf=$T_DIR/hss/echo.conf
  ECHO_PORT=$(free_port)
  sed -e "s#^LoadExtension = \".*/hss_cx.fdx\".*#LoadExtension = \"$ECHO_FDX\";#" \
      -e "s#^Port = .*#Port = $ECHO_PORT;#" \
      "$T_DIR/hss/freeDiameter.conf" > "$conf"
  grep -q cx_echo.fdx "$conf" || { echo "run_bench: echo config" >&2; return 1; }
  freeDiameterd -c "$conf" >>"$T_DIR/echo.log" 2>&1 &
  ECHO_PID=$!
  T_PIDS+=("$ECHO_PID")
  for _ in $(seq 1 100); do
    kill -0 "$ECHO_PID" 2>/dev/null || { tail -n 20 "$T_DIR/echo.log" >&2; return 1; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$ECHO_PORT") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "run_bench: echo freeDiameterd did not listen within 10 s" >&2
  return 1
}

# echo_stop: SIGTERM by PID, bounded wait, then SIGKILL.
echo_stop() {
  stop_pid "$ECHO_PID"
}

# Both daemons run side by side (the idle one costs nothing) and each
# scenario runs against the HSS, then at once against the baseline, so a
# change in the background load of the shared machine hits both alike.
run_all() {
  local sc half r
  for sc in uar lir mar-digest mar-aka sar-reg sar-rereg full-reg; do
    for r in $(seq 1 "$ROUNDS"); do
      if [ $((r % 2)) -eq 1 ]; then
        bench hss "$HSS_PORT" "$HSS_PID" --scenarios "$sc" --inflight "$INFLIGHT"
        bench base "$ECHO_PORT" "$ECHO_PID" --scenarios "$sc" --inflight "$INFLIGHT"
      else
        bench base "$ECHO_PORT" "$ECHO_PID" --scenarios "$sc" --inflight "$INFLIGHT"
        bench hss "$HSS_PORT" "$HSS_PID" --scenarios "$sc" --inflight "$INFLIGHT"
      fi
    done
  done
  # p99 of a full registration at half the HSS's peak, both at that rate
  half=$(awk -v p="$(peak_rate hss full-reg)" 'BEGIN { printf "%.0f", p / 2 }')
  HALF_RATE=$half
  [ "$half" -gt 0 ] || return 0
  for r in $(seq 1 "$ROUNDS"); do
    bench hss-half "$HSS_PORT" "$HSS_PID" --scenarios full-reg --rate "$half" \
        --inflight 1024
    bench base-half "$ECHO_PORT" "$ECHO_PID" --scenarios full-reg \
        --rate "$half" --inflight 1024
  done
}

# The combined table: HSS, baseline, ratio, target.
report() {
  echo
  echo "Cx benchmark: $USERS subscribers (provisioned in $PROVISION_S s), $INFLIGHT in flight,"
  echo "$SECS s per scenario after $WARMUP s warm-up, HSS and cx-bench on the same $(nproc) CPUs,"
  echo "$ROUNDS HSS/baseline pair(s) per scenario (medians; ratios: the median of the pairs' ratios)."
  echo "Baseline: the same freeDiameterd with cx_echo.fdx (canned answers, no store)."
  echo "Latencies in microseconds (HSS); full registration = UAR+MAR+SAR chains/s;"
  echo "cpu/bcpu: freeDiameterd CPU time per answered chain, HSS/baseline (us)."
  awk -F'\t' -v half="$HALF_RATE" '
    # the k-th row of a label and scenario is round k; figures are medians
    { k = $1 SUBSEP $2; n[k]++; i = k SUBSEP n[k]
      rps[i] = $3; p50[i] = $4; p99[i] = $5; p999[i] = $6; cpu[i] = $9
      err[k] += $7 }
    function median(a, k, m,    v, c, i, j, t) {
      c = 0
      for (i = 1; i <= m; i++) v[++c] = a[k SUBSEP i]
      for (i = 2; i <= c; i++)
        for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
          t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
        }
      return c ? v[int((c + 1) / 2)] : 0
    }
    function row(name, title, target, kind, lim,    h, b, m, i, r, ratio,
                 all, verdict) {
      h = "hss" SUBSEP name; b = "base" SUBSEP name
      if (!(h in n)) return
      m = n[h] < n[b] ? n[h] : n[b]
      all = ""
      for (i = 1; i <= m; i++) {
        r[h SUBSEP i] = rps[b SUBSEP i] > 0 ? rps[h SUBSEP i] / rps[b SUBSEP i] : 0
        all = all sprintf("%s%.2f", i > 1 ? " " : "", r[h SUBSEP i])
      }
      ratio = median(r, h, m)
      verdict = ""
      if (kind == "ratio") verdict = sprintf(">= %.2f x: %s", lim, ratio >= lim ? "met" : "MISSED")
      if (m > 1) verdict = verdict (verdict == "" ? "" : "  ") "(" all ")"
      printf "%-20s %8.1f %8.1f %5.2f %8.1f %8.1f %8.1f %5.0f %5.0f %4d  %s\n",
             title, median(rps, h, n[h]), median(rps, b, n[b]), ratio,
             median(p50, h, n[h]), median(p99, h, n[h]), median(p999, h, n[h]),
             median(cpu, h, n[h]), median(cpu, b, n[b]), err[h] + err[b], verdict
    }
    END {
      printf "%-20s %8s %8s %5s %8s %8s %8s %5s %5s %4s  %s\n", "scenario",
             "HSS/s", "base/s", "ratio", "p50", "p99", "p99.9", "cpu", "bcpu",
             "err", "target"
      row("uar", "UAR", "", "", 0)
      row("lir", "LIR", "", "", 0)
      row("mar-digest", "MAR SIP Digest", "", "ratio", 0.80)
      row("mar-aka", "MAR AKA", "", "ratio", 0.80)
      row("sar-reg", "SAR REGISTRATION", "", "ratio", 0.70)
      row("sar-rereg", "SAR RE_REGISTRATION", "", "ratio", 0.70)
      row("full-reg", "full registration", "", "", 0)
      h = "hss-half" SUBSEP "full-reg"; b = "base-half" SUBSEP "full-reg"
      if (h in n) {
        all = ""
        for (i = 1; i <= n[h]; i++)
          all = all sprintf("%s%.0f", i > 1 ? " " : "", p99[h SUBSEP i])
        q = median(p99, h, n[h])
        printf "%-20s %8.1f %8.1f %5s %8.1f %8.1f %8.1f %5.0f %5.0f %4d  %s\n",
               "full reg @ " half "/s", median(rps, h, n[h]),
               median(rps, b, n[b]), "", median(p50, h, n[h]), q,
               median(p999, h, n[h]), median(cpu, h, n[h]),
               median(cpu, b, n[b]), err[h] + err[b],
               sprintf("p99 < 5000 us: %s (base p99 %.1f)%s",
                       q < 5000 ? "met" : "MISSED", median(p99, b, n[b]),
                       n[h] > 1 ? "  (" all ")" : "")
      }
    }' "$TSV"
}

# decide_cost: the writer thread's CPU per MAR/SAR without the network
# (bench-decide) on a copy of the database the HSS just served.
decide_cost() {
  local copy=$T_DIR/decide.db rc=0
  cp "$T_DIR/hss/hss.db" "$copy"
  echo
  echo "Writer-thread CPU per request (bench-decide: cx_mar_decide /"
  echo "cx_sar_decide in batches of 64, one thread, no network):"
  timeout 600 "$BENCH_DECIDE" --db "$copy" --key "$T_DIR/hss/master.key" \
      --users "$USERS" --requests 20000 || rc=$?
  rm -f "$copy" "$copy-wal" "$copy-shm"
  if [ "$rc" -ne 0 ]; then
    echo "run_bench: bench-decide exited $rc" >&2; FAILED=1
  fi
}

provision
BENCH_EXTRA=$T_DIR/bench-hss.conf
# SAR scenarios hit users with no preceding MAR (Trusted Node
# Authentication): the benchmark admits them instead of refusing.
printf 'tna_policy = "off";\n' > "$BENCH_EXTRA"
hss_start --hss-extra "$BENCH_EXTRA"
echo_start
run_all
hss_stop
echo_stop
report
decide_cost
if [ "$FAILED" -ne 0 ]; then
  echo "run_bench: some requests failed or timed out (see above)"
  exit 1
fi
