# lib.sh - helpers of the Kamailio interop tests (sourced, bash).
#
# On top of tests/integration/lib.sh (freeDiameterd with the HSS, hssctl,
# check/t_done): Debian's Kamailio 5.6 IMS modules as I-CSCF and S-CSCF,
# started from the shipped etc/kamailio configurations, sipp as the user
# agent, and a tshark capture of every Diameter message. Everything runs on
# loopback addresses of the test's own /24 (interop_net), is stopped by PID,
# and every wait is bounded.
#
# Environment: BUILD_DIR, SRC_DIR (as for the integration tests).

# shellcheck source=../integration/lib.sh
source "${SRC_DIR:?SRC_DIR must name the source tree}/tests/integration/lib.sh"

KAM_ETC=$SRC_DIR/etc/kamailio
SIPP_DIR=$SRC_DIR/tests/interop/sipp
KAM_MODS=/usr/lib/x86_64-linux-gnu/kamailio/modules
CX_XSD=/usr/share/doc/kamailio/examples/ims/scscf/CxDataType_Rel7.xsd
DOMAIN=localdomain
PCAP=$T_DIR/diameter.pcap
TSHARK_PID=

# interop_require: the suite cannot prove anything without Kamailio: a
# missing package is a failure (scripts/deps.sh installs them), not a skip.
interop_require() {
  local missing=() f
  for f in kamailio kamcmd sipp tshark unshare mount xmllint; do
    command -v "$f" >/dev/null || missing+=("$f")
  done
  for f in "$KAM_MODS/ims_icscf.so" "$KAM_MODS/ims_registrar_scscf.so" \
           "$KAM_MODS/presence.so" "$KAM_MODS/db_text.so" "$KAM_MODS/ctl.so" "$CX_XSD"; do
    [ -e "$f" ] || missing+=("$f")
  done
  if [ ${#missing[@]} -ne 0 ]; then
    echo "FAIL - interop prerequisites missing: ${missing[*]}" >&2
    echo "       install them with scripts/deps.sh (kamailio," \
         "kamailio-ims-modules, kamailio-presence-modules, sip-tester, tshark)" >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL - the interop suite needs root (tshark capture on lo, a private" \
         "/etc/hosts for Kamailio's cdp)" >&2
    exit 1
  fi
}

# interop_net N: this test's addresses, 127.0.N.x (a distinct N per test
# script lets ctest run them in parallel).
interop_net() {
  NET=127.0.$1
  ICSCF_IP=$NET.2
  SCSCF_IP=$NET.3
  UE_IP=$NET.10
  UAS_IP=$NET.20
  ICSCF_PORT=5060
  SCSCF_PORT=6060
  SCSCF_URI="sip:$SCSCF_IP:$SCSCF_PORT"
}

# capture_start: tshark on lo, every TCP segment to/from the HSS port.
capture_start() {
  tshark -i lo -f "tcp port $HSS_PORT" -w "$PCAP" >/dev/null \
    2>"$T_DIR/tshark.err" &
  TSHARK_PID=$!
  T_PIDS+=("$TSHARK_PID")
  for _ in $(seq 1 100); do
    grep -q "Capturing on" "$T_DIR/tshark.err" 2>/dev/null && return 0
    kill -0 "$TSHARK_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "tshark did not start capturing within 10 s:" >&2
  cat "$T_DIR/tshark.err" >&2
  exit 1
}

capture_stop() {
  [ -n "$TSHARK_PID" ] || return 0
  sleep 0.5 # let the last segments reach the capture
  stop_pid "$TSHARK_PID" INT
  TSHARK_PID=
}

decode() {
  timeout 120 tshark -r "$PCAP" -d "tcp.port==$HSS_PORT,diameter" "$@" \
    2>/dev/null
}

# kam_start icscf|scscf: Kamailio with the shipped NAME.cfg, NAME.xml (HSS
# port and this test's addresses substituted) and, for the I-CSCF, the
# shipped db_text tables (S-CSCF URI substituted). cdp resolves the HSS
# Diameter identity with getaddrinfo(): unless hss.localdomain already
# resolves, Kamailio runs in a private mount namespace whose /etc/hosts
# maps it to 127.0.0.1 (the system file is not touched).
kam_start() {
  local name=$1 dir=$T_DIR/$1 ip args=() pid
  mkdir -p "$dir/run"
  if [ "$name" = icscf ]; then ip=$ICSCF_IP; else ip=$SCSCF_IP; fi
  sed -e "s/port=\"3868\"/port=\"$HSS_PORT\"/" \
      -e "s/bind=\"127\.0\.0\.[0-9]*\"/bind=\"$ip\"/" \
      "$KAM_ETC/$name.xml" >"$dir/$name.xml"
  args=(-A "CDP_CONFIG=\"$dir/$name.xml\"")
  if [ "$name" = icscf ]; then
    cp -r "$KAM_ETC/icscf-db" "$dir/db"
    sed -i "s/sip\\\\:127\.0\.0\.3\\\\:6060/sip\\\\:$SCSCF_IP\\\\:$SCSCF_PORT/" \
      "$dir/db/s_cscf"
    args+=(-A "ICSCF_IP=$ICSCF_IP" -A "ICSCF_PORT=$ICSCF_PORT"
           -A "ICSCF_DB_URL=\"text://$dir/db\"")
  else
    args+=(-A "SCSCF_IP=$SCSCF_IP" -A "SCSCF_PORT=$SCSCF_PORT"
           -A "SCSCF_NAME=\"$SCSCF_URI\""
           -A "CTL_SOCKET=\"unix:$dir/run/ctl.sock\"")
  fi
  if getent hosts hss.localdomain >/dev/null; then
    kamailio -DD -E -m 64 -M 8 -f "$KAM_ETC/$name.cfg" -Y "$dir/run" \
      "${args[@]}" >"$dir/kamailio.log" 2>&1 &
  else
    echo "127.0.0.1 hss.localdomain" >"$T_DIR/hosts"
    # unshare and sh exec: $! is Kamailio's main process
    unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' \
      sh "$T_DIR/hosts" kamailio -DD -E -m 64 -M 8 -f "$KAM_ETC/$name.cfg" \
      -Y "$dir/run" "${args[@]}" >"$dir/kamailio.log" 2>&1 &
  fi
  pid=$!
  T_PIDS+=("$pid")
  eval "${name^^}_PID=$pid"
  sleep 1
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "Kamailio $name exited during start-up:" >&2
    tail -n 30 "$dir/kamailio.log" >&2
    exit 1
  fi
}

# wait_peers IDENTITY...: until freeDiameterd has an open connection with
# each (cdp's first CER may lack Host-IP-Address, which freeDiameter 1.2.1
# drops; cdp retries some 10-20 s later). At most 60 s.
wait_peers() {
  local id
  for _ in $(seq 1 600); do
    local all=1
    for id in "$@"; do
      grep -q "'STATE_OPEN'[[:space:]]*'$id'" "$HSS_LOG" || all=0
    done
    [ $all = 1 ] && return 0
    sleep 0.1
  done
  echo "Diameter peers $* not connected to the HSS within 60 s" >&2
  tail -n 20 "$HSS_LOG" >&2
  for id in icscf scscf; do
    [ -f "$T_DIR/$id/kamailio.log" ] && grep cdp "$T_DIR/$id/kamailio.log" | tail -n 10 >&2
  done
  exit 1
}

# kam_rpc NAME COMMAND ARGS...: one RPC over the binrpc socket of a
# Kamailio started by kam_start (the configuration loads ctl), at most 10 s.
kam_rpc() {
  local name=$1
  shift
  timeout 10 kamcmd -s "unix:$T_DIR/$name/run/ctl.sock" "$@"
}

# kam_stop NAME: SIGTERM by PID, bounded wait, SIGKILL.
kam_stop() {
  local var="${1^^}_PID" pid
  pid=${!var:-}
  [ -n "$pid" ] || return 0
  stop_pid "$pid"
  eval "$var="
  cdp_fifo_sweep
}

# provision_user NAME REG_PW [WEB_PW]: subscription NAME in domain $DOMAIN
# with a regular IMPI NAME@ (SIP Digest, H(A1) for the realm $DOMAIN:
# Kamailio challenges with the To domain) and, with WEB_PW, a WebRTC IMPI
# NAME.webrtc@ (TS 33.203 X.2, its own password), both on sip:NAME@.
# Passwords go through a file descriptor, never argv.
provision_user() {
  local n=$1 reg_pw=$2 web_pw=${3:-} d=$DOMAIN
  hssctl sub create "$n" >/dev/null
  hssctl impi add "$n" "$n@$d" --schemes digest --default-scheme digest >/dev/null
  hssctl impu add "$n" "sip:$n@$d" >/dev/null
  hssctl assoc add "$n@$d" "sip:$n@$d" >/dev/null
  hssctl cred digest "$n@$d" --realm "$d" --password-file=<(echo "$reg_pw") >/dev/null
  [ -n "$web_pw" ] || return 0
  hssctl webrtc issue "$n" "$n.webrtc@$d" --impu "sip:$n@$d" --realm "$d" \
    --password-file=<(echo "$web_pw") >/dev/null
}

# cdp (Kamailio 5.6) leaves a FIFO /tmp/cdp_send_<pid>_<n>_<time> per
# process behind; remove those whose process is gone.
cdp_fifo_sweep() {
  local f p
  for f in /tmp/cdp_send_*; do
    [ -p "$f" ] || continue
    p=${f#/tmp/cdp_send_}
    p=${p%%_*}
    kill -0 "$p" 2>/dev/null || rm -f "$f"
  done
}

# sipp_run NAME SCENARIO TARGET LOCAL_IP ARGS...: one sipp call; the log of
# its <log> actions is printed (one line per action).
sipp_run() {
  local name=$1 sf=$2 target=$3 lip=$4 port
  shift 4
  port=$(free_port)
  # callers run this in $(...): a counter would not survive, mktemp does
  local base
  base=$(mktemp -u "$T_DIR/sipp-$(date +%H%M%S)-XXXX-$name")
  timeout 30 sipp "$target" -sf "$SIPP_DIR/$sf" -i "$lip" -p "$port" -m 1 \
    -nostdin -timeout 20s -recv_timeout 8s -trace_logs -log_file "$base.log" \
    -trace_msg -message_file "$base.msg" -trace_err -error_file "$base.err" \
    "$@" >/dev/null 2>&1 || true
  cat "$base.log" 2>/dev/null || true
}

# reg TARGET IMPI PASSWORD EXPIRES [CONTACT]: a registration step for
# sip:alice@localdomain; prints "challenge=401 final=200 pau=<...>" or
# "challenge=none final=403".
reg() {
  local target=$1 impi=$2 pw=$3 exp=$4 contact=${5:-sip:alice@$UE_IP:5099}
  local user=${REG_USER:-alice} out
  out=$(sipp_run "reg-$impi" register.xml "$target" "$UE_IP" \
        -key impu_user "$user" -key domain "$DOMAIN" -key impi "$impi" \
        -key contact "$contact" -key expires "$exp" -au "$impi" -ap "$pw")
  echo "$out" | tr '\n' ' ' | sed 's/ *$//'
}

# final_of "LOG LINE": the final code in a reg/message log line.
final_of() { sed -n 's/.*final=\([0-9]*\).*/\1/p' <<<"$1" | tail -n 1; }
