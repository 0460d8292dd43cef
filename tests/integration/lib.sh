# lib.sh - shared helpers of the integration tests (sourced, bash).
#
# Starts a real freeDiameterd with dict_cx.fdx and hss_cx.fdx on loopback
# (unique port, throwaway TLS credentials, a fresh SQLite database), drives
# it with the real cx-client and hssctl, and stops everything it started by
# PID. Every wait is bounded.
#
# Environment: BUILD_DIR (the CMake build tree), SRC_DIR (the source tree).

set -euo pipefail

: "${BUILD_DIR:?BUILD_DIR must name the build tree}"
: "${SRC_DIR:?SRC_DIR must name the source tree}"
CX_CLIENT=$BUILD_DIR/tools/cx-client/cx-client
HSSCTL=$BUILD_DIR/tools/hssctl/hssctl
T_DIR=$(mktemp -d /tmp/hss-it.XXXXXX)
T_PIDS=()
T_FAILS=0
T_PASSES=0
HSS_PID=
HSS_PORT=
HSS_LOG=$T_DIR/freeDiameterd.log

# stop_pid PID [SIGNAL [SECONDS]]: sends SIGNAL (TERM) to PID, waits at
# most SECONDS (10) for it to exit, then SIGKILLs it (and says so on
# stderr); reaps it when it is a child of this shell. An empty PID is a
# no-op.
stop_pid() {
  local pid=$1 sig=${2:-TERM} secs=${3:-10}
  [ -n "$pid" ] || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((secs * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "process $pid did not stop within $secs s after SIG$sig; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

t_cleanup() {
  local pid
  for pid in ${T_PIDS[@]+"${T_PIDS[@]}"}; do
    if kill -0 "$pid" 2>/dev/null; then stop_pid "$pid" TERM 5; fi
  done
  if [ "${T_KEEP:-0}" = 1 ]; then echo "kept $T_DIR"; else rm -rf "$T_DIR"; fi
}
trap t_cleanup EXIT

# A TCP port nobody listens on, from a random start in 20000-31999: below
# the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range,
# 32768-60999 by default), so that no outgoing connection of another
# process (a test running alongside) is given it between this check and
# the bind.
free_port() {
  local p tries=0
  p=$((20000 + (RANDOM * 7 + $$) % 12000))
  while [ $tries -lt 200 ]; do
    if ! ss -Htln "sport = :$p" | grep -q . && ! ss -Htn "sport = :$p" | grep -q .; then
      echo "$p"; return 0
    fi
    p=$((p + 1)); tries=$((tries + 1))
  done
  echo "free_port: no free port found" >&2; return 1
}

# hss_start [--hss-extra FILE]: writes the configuration (once per test) and
# starts freeDiameterd in the background; waits until it accepts TCP.
hss_start() {
  local conf
  if [ -z "$HSS_PORT" ]; then HSS_PORT=$(free_port); fi
  conf=$("$SRC_DIR/scripts/hss-config.sh" --dir "$T_DIR/hss" \
          --fdx "$BUILD_DIR/fdx" --port "$HSS_PORT" "$@")
  HSS_DB=$T_DIR/hss/hss.db
  HSS_KEY=$T_DIR/hss/master.key
  freeDiameterd -c "$conf" >>"$HSS_LOG" 2>&1 &
  HSS_PID=$!
  T_PIDS+=("$HSS_PID")
  for _ in $(seq 1 100); do
    if ! kill -0 "$HSS_PID" 2>/dev/null; then
      echo "freeDiameterd exited during start-up; its log:" >&2
      tail -n 40 "$HSS_LOG" >&2
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$HSS_PORT") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "freeDiameterd did not listen on $HSS_PORT within 10 s" >&2
  tail -n 40 "$HSS_LOG" >&2
  return 1
}

# hss_stop: SIGTERM by PID, bounded wait, then SIGKILL.
hss_stop() {
  stop_pid "$HSS_PID"
  HSS_PID=
}

# cx ARGS...: one cx-client run against the HSS as S-CSCF/I-CSCF
# scscf.localdomain; prints the answer JSON.
cx() {
  local sub=$1; shift
  timeout 30 "$CX_CLIENT" "$sub" --hss-port "$HSS_PORT" --hss-addr 127.0.0.1 \
     --hss-host hss.localdomain --hss-realm localdomain \
     --identity "${CX_IDENTITY:-scscf.localdomain}" --realm localdomain \
     --local-port "${CX_LOCAL_PORT:-$(free_port)}" "$@"
}

# bench_users_import N [TIMEOUT_S]: before hss_start, a fresh database in
# $T_DIR/hss with N subscribers bench{i}@localdomain / sip:bench{i}@
# localdomain, an MD5 H(A1) of "benchpw" and TS 35.208 set 1 K/OPc each
# (test credentials only), imported in one hssctl transaction.
bench_users_import() {
  local n=$1 limit=${2:-600} dir=$T_DIR/hss csv=$T_DIR/users.csv
  mkdir -p "$dir"; chmod 0700 "$dir"
  timeout 60 "$HSSCTL" --db "$dir/hss.db" --key "$dir/master.key" init >/dev/null
  (umask 077; awk -v n="$n" 'BEGIN {
      print "subscription,impi,impu,realm,password,k,opc,amf,sqn"
      for (i = 0; i < n; i++)
        printf "bench%d,bench%d@localdomain,sip:bench%d@localdomain,localdomain,benchpw,465b5ce8b199b49faa5f0a2ee238a6bc,cd63cb71954a9f4e48a5994e37a02baf,8000,0\n", i, i, i
    }' > "$csv")
  # MAR asks for MD5 digest and AKA only: one H(A1) per user.
  timeout "$limit" "$HSSCTL" --db "$dir/hss.db" --key "$dir/master.key" \
      --actor bench import "$csv" --algorithms md5 >/dev/null
  rm -f "$csv"
}

# hssctl ARGS...: the real CLI on this test's database.
hssctl() {
  timeout 60 "$HSSCTL" --db "$HSS_DB" --key "$HSS_KEY" --actor it-test "$@"
}

# jq-like field access with python3: jget JSON 'expr over d'
jget() {
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

# Result of an answer JSON: "rc:NNNN" or "er:NNNN".
# first_request FILE CODE: the JSON line of the first request of command
# code CODE that cx-client (listening as the S-CSCF) printed into FILE; ""
# when there is none.
first_request() {
  python3 - "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if d.get("code") == int(sys.argv[2]) and d.get("request"):
        print(line)
        break
PY
}

result_of() {
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
if d.get("experimental_result"):
    print("er:%d" % d["experimental_result"]["code"])
elif d.get("result_code") is not None:
    print("rc:%d" % d["result_code"])
else:
    print("none")
PY
}

# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" = "$3" ]; then
    T_PASSES=$((T_PASSES + 1)); echo "ok   - $1"
  else
    T_FAILS=$((T_FAILS + 1)); echo "FAIL - $1: expected '$2', got '$3'"
  fi
}

# t_done: closing line and exit status.
t_done() {
  echo "$T_PASSES passed, $T_FAILS failed"
  if [ "$T_FAILS" -ne 0 ]; then
    echo "--- freeDiameterd log (tail) ---"; tail -n 60 "$HSS_LOG" || true
    exit 1
  fi
}
