#!/usr/bin/env bash
# test_icscf.sh - Kamailio's I-CSCF (ims_icscf, etc/kamailio/icscf.cfg) in
# front of its S-CSCF (etc/kamailio/scscf.cfg), against the real HSS:
#  - registration through the I-CSCF: UAR, UAA DIAMETER_FIRST_REGISTRATION
#    with Server-Capabilities (a preferred S-CSCF for alice, a mandatory
#    capability matched against icscf-db for bob), S-CSCF chosen, 401, 200;
#    the re-registration gets DIAMETER_SUBSEQUENT_REGISTRATION + Server-Name;
#  - a MESSAGE to the registered user through the I-CSCF: LIR, LIA with
#    Server-Name, relayed to the S-CSCF, delivered to the user's device (a
#    sipp UAS) and its 200 back;
#  - refusals: unknown user -> 403 (UAR 5001), MESSAGE to an unknown user
#    -> 604 (LIR 5001);
#  - HSS-initiated de-registration: `hssctl webrtc revoke` and `hssctl reg
#    deregister` send an RTR, the S-CSCF answers it and drops the IMPU (seen
#    with kamcmd ulscscf.showimpu), a following MESSAGE gets 404 from the
#    S-CSCF, a revoked WebRTC IMPI cannot register again;
#  - `hssctl impu bar` of a registered IMPU: the User-Data PPR that Kamailio
#    leaves unanswered fails, and its RTR fallback drops the IMPU;
#  - tshark: no malformed packet, no expert error, every request answered,
#    no empty Server-Capabilities (Kamailio's cdp drops such an answer).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
interop_require
interop_net 32

R=$DOMAIN
WEB_PW=webrtc-Pass-0003
REG_PW=regular-Pass-0004
BOB_PW=regular-Pass-0005

# a short outbox schedule: the PPR that Kamailio leaves unanswered fails
# (2 attempts of 1 s) and its RTR fallback goes within a few seconds
printf '%s\n' 'outbox_timeout_ms = 1000;' 'outbox_max_attempts = 2;' \
  'outbox_backoff_s = 1;' >"$T_DIR/outbox.conf"
hss_start --hss-extra "$T_DIR/outbox.conf"
capture_start
kam_start icscf
kam_start scscf

# ---- provisioning ------------------------------------------------------------
# alice: a regular and a WebRTC IMPI; her S-CSCF comes from the HSS as a
# preferred S-CSCF (Server-Name inside Server-Capabilities)
provision_user alice "$REG_PW" "$WEB_PW"
hssctl sub scscf-pref add alice "$SCSCF_URI" >/dev/null
# bob: mandatory capability 1, which icscf-db gives to its one S-CSCF
provision_user bob "$BOB_PW"
hssctl sub capability add bob --mandatory 1 >/dev/null

wait_peers icscf.localdomain scscf.localdomain
I=$ICSCF_IP:$ICSCF_PORT
S=$SCSCF_IP:$SCSCF_PORT

# uas_start: the user's device, answering one MESSAGE (background, bounded)
UAS_N=0
uas_start() {
  UAS_N=$((UAS_N + 1))
  UAS_PORT=$(free_port)
  UAS_LOG=$T_DIR/uas-$UAS_N.log
  timeout 40 sipp -sf "$SIPP_DIR/uas_message.xml" -i "$UAS_IP" -p "$UAS_PORT" \
    -m 1 -nostdin -timeout 35s -trace_logs -log_file "$UAS_LOG" \
    >/dev/null 2>&1 &
  UAS_PID=$!
  T_PIDS+=("$UAS_PID")
}
uas_stop() {
  kill "$UAS_PID" 2>/dev/null || true
  wait "$UAS_PID" 2>/dev/null || true
}
uas_got() { # until the UAS logged the MESSAGE, at most 5 s
  for _ in $(seq 1 50); do
    grep -q 'got=MESSAGE' "$UAS_LOG" 2>/dev/null && { echo yes; return; }
    sleep 0.1
  done
  echo no
}
message() { # TARGET TO_USER
  sipp_run "msg-$2" message.xml "$1" "$UE_IP" -key to_user "$2" \
    -key domain "$R" | tr '\n' ' ' | sed 's/ *$//'
}
# outbox_done N: until N RTRs are DONE (answered), at most 30 s
outbox_done() {
  for _ in $(seq 1 300); do
    [ "$(hssctl outbox list --state=done | grep -ci 'rtr')" -ge "$1" ] && { echo yes; return; }
    sleep 0.1
  done
  echo no
  hssctl outbox list >&2 || true
}
# scscf_holds IMPU: "yes" if the S-CSCF's usrloc has the IMPU (kamcmd
# ulscscf.showimpu prints nothing for an unknown one)
scscf_holds() {
  local out
  out=$(kam_rpc scscf ulscscf.showimpu "$1" 2>&1) || { echo "rpc failed: $out"; return; }
  grep -q "impu" <<<"$out" && echo yes || echo no
}
# scscf_dropped IMPU: until the S-CSCF no longer holds IMPU, at most 10 s.
# After an RTR Kamailio marks the contacts deleted at once; its usrloc
# timer (timer_interval, 1 s in scscf.cfg) unlinks them and drops the IMPU.
scscf_dropped() {
  local held
  for _ in $(seq 1 100); do
    held=$(scscf_holds "$1")
    [ "$held" = no ] && { echo yes; return; }
    [ "$held" = yes ] || { echo "$held"; return; }
    sleep 0.1
  done
  echo "no (still held after 10 s)"
}

# ---- refusals -------------------------------------------------------------------
out=$(REG_USER=nobody reg "$I" "nobody@$R" "whatever" 600 "sip:nobody@$UE_IP:5094")
echo "unknown user via I-CSCF: $out"
check "unknown user via I-CSCF -> 403 (UAR 5001)" 403 "$(final_of "$out")"

out=$(message "$I" nobody)
echo "MESSAGE to an unknown user via I-CSCF: $out"
check "MESSAGE to an unknown user via I-CSCF -> 604 (LIR 5001)" 604 "$(final_of "$out")"

# ---- registration through the I-CSCF --------------------------------------------
uas_start
out=$(reg "$I" "alice.webrtc@$R" "$WEB_PW" 600 "sip:alice@$UAS_IP:$UAS_PORT")
echo "WebRTC register via I-CSCF: $out"
check "WebRTC REGISTER via I-CSCF (preferred S-CSCF) -> 401 -> 200" \
  "challenge=401 final=200" "$(grep -o 'challenge=401 final=[0-9]*' <<<"$out")"
check "200 OK via I-CSCF carries P-Associated-URI" "<sip:alice@$R>" \
  "$(sed -n 's/.*pau= *\(<[^>]*>\).*/\1/p' <<<"$out")"
check "HSS: alice registered by the S-CSCF" yes \
  "$(hssctl reg show "sip:alice@$R" | grep -qi 'registered' && echo yes || echo no)"
check "S-CSCF holds sip:alice@$R (kamcmd ulscscf.showimpu)" yes \
  "$(scscf_holds "sip:alice@$R")"

out=$(reg "$I" "alice.webrtc@$R" "$WEB_PW" 600 "sip:alice@$UAS_IP:$UAS_PORT")
echo "WebRTC re-register via I-CSCF: $out"
check "re-registration via I-CSCF (UAA Server-Name) -> 200" 200 "$(final_of "$out")"

out=$(REG_USER=bob reg "$I" "bob@$R" "$BOB_PW" 600 "sip:bob@$UE_IP:5092")
echo "bob register via I-CSCF: $out"
check "REGISTER via I-CSCF (capability matched in icscf-db) -> 401 -> 200" \
  "challenge=401 final=200" "$(grep -o 'challenge=401 final=[0-9]*' <<<"$out")"

# ---- MESSAGE routed by LIR through the I-CSCF -------------------------------------
out=$(message "$I" alice)
echo "MESSAGE via I-CSCF: $out"
check "MESSAGE to the registered user via I-CSCF (LIR) -> 200" 200 "$(final_of "$out")"
check "the user's device received the MESSAGE" yes "$(uas_got)"
uas_stop

# ---- RTR: revocation of the WebRTC credential --------------------------------------
hssctl webrtc revoke "alice.webrtc@$R" >/dev/null
check "RTR after webrtc revoke answered by the S-CSCF (outbox DONE)" yes "$(outbox_done 1)"
check "S-CSCF dropped sip:alice@$R after the RTR" yes "$(scscf_dropped "sip:alice@$R")"
out=$(message "$S" alice)
echo "MESSAGE to the S-CSCF after the RTR: $out"
check "MESSAGE after the RTR -> 404 from the S-CSCF" 404 "$(final_of "$out")"
out=$(reg "$I" "alice.webrtc@$R" "$WEB_PW" 600 "sip:alice@$UE_IP:5093")
echo "revoked WebRTC IMPI registers again via I-CSCF: $out"
check "revoked WebRTC IMPI cannot register again (no 200)" yes \
  "$([ -n "$(final_of "$out")" ] && [ "$(final_of "$out")" != 200 ] && echo yes || echo no)"

# ---- RTR: administrative de-registration of the regular IMPI -----------------------
uas_start
out=$(reg "$I" "alice@$R" "$REG_PW" 600 "sip:alice@$UAS_IP:$UAS_PORT")
echo "regular register via I-CSCF: $out"
check "regular IMPI registers via I-CSCF -> 200" 200 "$(final_of "$out")"
hssctl reg deregister "sip:alice@$R" >/dev/null
check "RTR after reg deregister answered by the S-CSCF (outbox DONE)" yes "$(outbox_done 2)"
check "S-CSCF dropped sip:alice@$R after the second RTR" yes "$(scscf_dropped "sip:alice@$R")"
out=$(message "$S" alice)
echo "MESSAGE to the S-CSCF after the admin de-registration: $out"
check "MESSAGE after the admin de-registration -> 404 from the S-CSCF" 404 "$(final_of "$out")"
check "the de-registered device received nothing" no \
  "$(grep -q 'got=MESSAGE' "$UAS_LOG" 2>/dev/null && echo yes || echo no)"
uas_stop
check "bob still registered at the S-CSCF" yes "$(scscf_holds "sip:bob@$R")"

# ---- PPR after barring a registered IMPU ---------------------------------------
# Kamailio never answers PPR: it fails, and the RTR fallback (SERVER_CHANGE)
# makes the S-CSCF drop bob, whose next registration fetches the barred
# profile.
hssctl impu bar "sip:bob@$R" >/dev/null
check "unanswered User-Data PPR -> fallback RTR -> S-CSCF dropped bob" yes \
  "$(scscf_dropped "sip:bob@$R")"
check "the PPR failed, the fallback RTR was answered" "PPR failed, RTR done" \
  "$(hssctl --json outbox list | python3 -c '
import json, sys
d = json.load(sys.stdin)["outbox"]
def states(kind):
    return ",".join(o["state"] for o in d
                    if o["kind"] == kind and o["user_name"].startswith("bob@"))
print("PPR %s, RTR %s" % (states("PPR"), states("RTR")))')"

capture_stop
kam_stop icscf
kam_stop scscf

for k in icscf scscf; do
  check "$k: no crash" "" \
    "$(grep -E 'signal 11|SIGSEGV|core dump' "$T_DIR/$k/kamailio.log" | head -3)"
  check "$k: cdp parsed every answer" "" \
    "$(grep -E 'NULL value received|message conversion dropped' "$T_DIR/$k/kamailio.log" | head -3)"
done

# ---- what went over the wire ----------------------------------------------------
# shellcheck source=wire_checks.sh
source "$(dirname "$0")/wire_checks.sh"
wire_checks
uaa=$(decode -Y 'diameter.cmd.code == 300 && diameter.flags.request == 0' \
  -T fields -e diameter.Experimental-Result-Code | sort -u | tr '\n' ' ')
echo "UAA Experimental-Result codes: $uaa"
for code in 2001 2002 5001; do
  check "a UAA with Experimental-Result $code" yes \
    "$(grep -qw "$code" <<<"$uaa" && echo yes || echo no)"
done
check "no empty Server-Capabilities in UAA/LIA" 0 \
  "$(decode -Y 'diameter.cmd.code == 300 || diameter.cmd.code == 302' -O diameter -V \
     | grep -c 'Data is empty' || true)"
lia=$(decode -Y 'diameter.cmd.code == 302 && diameter.flags.request == 0' \
  -T fields -e diameter.Experimental-Result-Code -e diameter.Result-Code \
  -e diameter.Server-Name | sort -u | tr '\t\n' ', ')
echo "LIA results: $lia"
check "LIA for the registered user: DIAMETER_SUCCESS with Server-Name" yes \
  "$(grep -q "2001,$SCSCF_URI" <<<"$lia" && echo yes || echo no)"
check "LIA for the unknown user: DIAMETER_ERROR_USER_UNKNOWN" yes \
  "$(grep -q '5001,' <<<"$lia" && echo yes || echo no)"
rtr=$(decode -Y 'diameter.cmd.code == 304 && diameter.flags.request == 0' \
  -T fields -e diameter.Result-Code | tr '\n' ' ')
check "three RTAs (revoke, deregister, PPR fallback), DIAMETER_SUCCESS" \
  "2001 2001 2001 " "$rtr"
ppr=$(decode -Y 'diameter.cmd.code == 305' -T fields -e diameter.flags.request \
  | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
check "the PPR went out twice and Kamailio answered neither" "1:2 " "$ppr"

t_done
