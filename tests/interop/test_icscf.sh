#!/usr/bin/env bash
# NOT REGISTERED WITH CTEST (name does not match test_*.sh): work in progress,
# see the NOT YET note below and the checks that still fail (first WebRTC
# registration beside the UAS answered 403, the first RTR not seen DONE).
# test_icscf.sh - Kamailio I-CSCF (ims_icscf, etc/kamailio/icscf.cfg) and
# S-CSCF together against the real HSS:
#  - unknown user through the I-CSCF: 403 (UAR 5001), a MESSAGE to an
#    unknown user: 604 (LIR 5001);
#  - a MESSAGE to the registered user delivered by the S-CSCF to the user's
#    device (a sipp UAS);
#  NOT YET: registration and MESSAGE routed *through* the I-CSCF. With
#  Kamailio 5.6.3 the UAA/LIA success path never resumes the SIP
#  transaction ("t_continue_helper(): active transaction not found"), so
#  the I-CSCF answers 500 after the cdp timeout; the refusal paths (answered
#  from the Diameter callback itself) work. Registrations go straight to the
#  S-CSCF meanwhile.
#  - HSS-initiated de-registration: `hssctl webrtc revoke` and `hssctl reg
#    deregister` send an RTR, the S-CSCF answers it and drops the
#    registration (a following MESSAGE to the S-CSCF gets 404);
#  - tshark: no malformed packet, no expert error, every request answered.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
interop_require
interop_net 32

R=$DOMAIN
WEB_PW=webrtc-Pass-0003
REG_PW=regular-Pass-0004

hss_start
capture_start
kam_start icscf
kam_start scscf

hssctl sub create alice >/dev/null
hssctl impi add alice "alice@$R" --schemes digest --default-scheme digest >/dev/null
hssctl impu add alice "sip:alice@$R" >/dev/null
hssctl assoc add "alice@$R" "sip:alice@$R" >/dev/null
hssctl cred digest "alice@$R" --realm "$R" --password-file=<(echo "$REG_PW") >/dev/null
hssctl webrtc issue alice "alice.webrtc@$R" --impu "sip:alice@$R" --realm "$R" \
  --password-file=<(echo "$WEB_PW") >/dev/null

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
message() { # TARGET TO_USER
  sipp_run "msg-$2" message.xml "$1" "$UE_IP" -key to_user "$2" \
    -key domain "$R" | tr '\n' ' '
}
# outbox_done N: until N outbox requests are DONE (answered), at most 30 s
outbox_done() {
  for _ in $(seq 1 300); do
    [ "$(hssctl outbox list --state done | grep -ci 'rtr')" -ge "$1" ] && { echo yes; return; }
    sleep 0.1
  done
  echo no
  hssctl outbox list >&2 || true
}

# ---- registration through the I-CSCF -------------------------------------
uas_start
out=$(reg "$S" "alice.webrtc@$R" "$WEB_PW" 600 "sip:alice@$UAS_IP:$UAS_PORT")
echo "webrtc register: $out"
check "WebRTC REGISTER -> 401 -> 200" "challenge=401 final=200" \
  "$(grep -o 'challenge=401 final=200' <<<"$out")"

out=$(REG_USER=nobody reg "$I" "nobody@$R" "whatever" 600 "sip:nobody@$UE_IP:5094")
echo "unknown user via I-CSCF: $out"
check "unknown user via I-CSCF -> 403 (UAR 5001)" 403 "$(final_of "$out")"

# ---- MESSAGE routed by LIR ----------------------------------------------------
out=$(message "$S" alice)
echo "MESSAGE via S-CSCF: $out"
check "MESSAGE to the registered user (S-CSCF lookup) -> 200" 200 "$(final_of "$out")"
sleep 0.3
check "the user's device received the MESSAGE" yes \
  "$(grep -q 'got=MESSAGE' "$UAS_LOG" 2>/dev/null && echo yes || echo no)"
uas_stop

out=$(message "$I" nobody)
echo "MESSAGE to unknown user: $out"
check "MESSAGE to an unknown user via I-CSCF -> 604 (LIR 5001)" 604 "$(final_of "$out")"

# ---- RTR: revocation of the WebRTC credential --------------------------------
hssctl webrtc revoke "alice.webrtc@$R" >/dev/null
check "RTR after webrtc revoke answered by the S-CSCF (outbox DONE)" yes "$(outbox_done 1)"
out=$(message "$S" alice)
echo "MESSAGE to the S-CSCF after the RTR: $out"
check "S-CSCF dropped the registration after the RTR (404)" 404 "$(final_of "$out")"
out=$(reg "$S" "alice.webrtc@$R" "$WEB_PW" 600 "sip:alice@$UE_IP:5093")
echo "revoked WebRTC IMPI registers again: $out"
check "revoked WebRTC IMPI cannot register again (no 200)" yes \
  "$([ "$(final_of "$out")" != 200 ] && echo yes || echo no)"

# ---- RTR: administrative de-registration of the regular IMPI -----------------
uas_start
out=$(reg "$S" "alice@$R" "$REG_PW" 600 "sip:alice@$UAS_IP:$UAS_PORT")
echo "regular register: $out"
check "regular IMPI registers -> 200" 200 "$(final_of "$out")"
hssctl reg deregister "sip:alice@$R" >/dev/null
check "RTR after reg deregister answered by the S-CSCF (outbox DONE)" yes "$(outbox_done 2)"
out=$(message "$S" alice)
echo "MESSAGE to the S-CSCF after the admin de-registration: $out"
check "S-CSCF dropped the registration after the RTR (404)" 404 "$(final_of "$out")"
uas_stop

capture_stop
kam_stop icscf
kam_stop scscf

for k in icscf scscf; do
  check "$k: no crash" "" \
    "$(grep -E 'signal 11|SIGSEGV|core dump' "$T_DIR/$k/kamailio.log" | head -3)"
done

# ---- what went over the wire ----------------------------------------------------
source "$(dirname "$0")/wire_checks.sh"
wire_checks
uaa=$(decode -Y 'diameter.cmd.code == 300 && diameter.flags.request == 0' \
  -T fields -e diameter.Experimental-Result-Code | sort -u | tr '\n' ' ')
check "UAA for the unknown user: DIAMETER_ERROR_USER_UNKNOWN" "5001 " "$uaa"
lia=$(decode -Y 'diameter.cmd.code == 302 && diameter.flags.request == 0' \
  -T fields -e diameter.Experimental-Result-Code | sort -u | tr '\n' ' ')
check "LIA for the unknown user: DIAMETER_ERROR_USER_UNKNOWN" "5001 " "$lia"
rtr=$(decode -Y 'diameter.cmd.code == 304 && diameter.flags.request == 0' \
  -T fields -e diameter.Result-Code | tr '\n' ' ')
check "two RTAs, DIAMETER_SUCCESS" "2001 2001 " "$rtr"

t_done
