#!/bin/bash
# test_outbox.sh - HSS-initiated RTR through the transactional outbox
# (TS 29.228 §6.2.1, TS 29.229 §6.1.9; ARCHITECTURE "transactional outbox").
#
# cx-client plays the S-CSCF scscf.localdomain: it registers alice (SAR),
# stays connected and answers what the HSS sends. `hssctl reg deregister`
# writes the RTR into the outbox; the extension's sender delivers it:
#  1. answered 2001: the RTR names User-Name and every registered IMPU,
#     the outbox row ends DONE;
#  2. never answered (--rta-result none): the RTR is sent
#     outbox_max_attempts (2) times and the row ends FAILED;
#  3. `hssctl waf add` while registered queues a PPR carrying
#     Allowed-WAF-WWSF-Identities; answered 2001 it ends DONE; `hssctl impu
#     bar` one carrying the User-Data with the BarringIndication;
#  4. a PPR never answered (--ppa-result none) ends FAILED and, with
#     ppr_fallback_rtr, de-registers the user: an RTR (SERVER_CHANGE) naming
#     the registered IMPUs follows;
#  5. the lease sweep: a registered pool identity whose lease expires is
#     de-registered by the sweep (sweep_interval_s = 1) with an RTR;
#  6. a WebRTC password changed while its MAR's authentication is in flight
#     (TS 29.228 §6.5.2.4): the HSS addresses hssctl's PPR to the MAR's
#     S-CSCF with the new H(A1); with nothing in flight it sends nothing;
#  7. barring an identity served as an unregistered user (SAR
#     UNREGISTERED_USER): the PPR goes to that S-CSCF.
#
# Standalone: BUILD_DIR=... SRC_DIR=... bash tests/integration/test_outbox.sh
#
# SPDX-License-Identifier: BSD-2-Clause

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

IMPI=alice@localdomain
IMPU1=sip:alice@localdomain
IMPU2=tel:+15550100
SCSCF_NAME=sip:scscf.localdomain:6060

extra=$T_DIR/outbox.conf
cat >"$extra" <<'EOF'
outbox_poll_ms = 100;
outbox_timeout_ms = 1000;
outbox_max_attempts = 2;
outbox_backoff_s = 1;
sweep_interval_s = 1;
EOF
hss_start --hss-extra "$extra"

# ---- provisioning --------------------------------------------------------
hssctl sub create alice >/dev/null
hssctl sub web-auth alice on >/dev/null
hssctl impi add alice "$IMPI" >/dev/null
hssctl impu add alice "$IMPU1" >/dev/null
hssctl impu add alice "$IMPU2" --irs-with="$IMPU1" >/dev/null
hssctl assoc add "$IMPI" "$IMPU1" >/dev/null
hssctl assoc add "$IMPI" "$IMPU2" >/dev/null

# wait_for FILE PATTERN SECONDS: bounded wait for a line in a file.
wait_for() {
  local _
  for _ in $(seq 1 $(($3 * 10))); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# start_scscf OUT [cx-client options...]: cx-client registers alice (or
# $REG_IMPI/$REG_IMPU) with SAR and then listens (in the background) for
# what the HSS sends.
start_scscf() {
  local out=$1; shift
  cx sar --user-name "${REG_IMPI:-$IMPI}" --impu "${REG_IMPU:-$IMPU1}" \
     --server-name "$SCSCF_NAME" \
     --sat REGISTRATION --udaa 0 --dest-host hss.localdomain \
     --listen 25 --listen-count "${LISTEN_COUNT:-1}" "$@" >"$out" 2>&1 &
  SCSCF_PID=$!
  T_PIDS+=("$SCSCF_PID")
  if ! wait_for "$out" '"command"' 15; then
    echo "cx-client got no SAA; its output:" >&2; cat "$out" >&2
    return 1
  fi
  check "SAR(REGISTRATION) of ${REG_IMPI:-$IMPI} answered 2001" rc:2001 \
    "$(result_of "$(head -n 1 "$out")")"
}

# outbox_state ID: state of an outbox row, from the database.
sql() {
  sqlite3 -cmd ".timeout 5000" "$HSS_DB" "$1"
}
outbox_state() {
  sql "SELECT state FROM outbox WHERE id = ${1:-0};"
}
# await_state ID STATE [TENTHS]: waits (bounded, 50 tenths of a second by
# default) for outbox row ID to reach STATE; prints the state it has then.
await_state() {
  local _
  for _ in $(seq 1 "${3:-50}"); do
    [ "$(outbox_state "$1")" = "$2" ] && break
    sleep 0.1
  done
  outbox_state "$1"
}
last_rtr_id() {
  sql "SELECT coalesce(max(id), 0) FROM outbox WHERE kind = 1;"
}

# rtr_summary FILE: "User-Name|Public-Identity,...|Reason-Code|Dest-Host"
# of the first RTR cx-client printed.
rtr_summary() {
  python3 - "$(first_request "$1" 304)" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
avps = d["avps"]
def val(code, vendor=0, lst=avps):
    return [a.get("value") for a in lst
            if a["code"] == code and a["vendor"] == vendor]
reason = [a for a in avps if a["code"] == 615][0]["avps"]
print("%s|%s|%s|%s" % (",".join(val(1)), ",".join(sorted(val(601, 10415))),
                       val(616, 10415, reason)[0], ",".join(val(293))))
PY
}

count_rtrs() {
  grep -c '"code":304,"request":true' "$1" || true
}
count_pprs() {
  grep -c '"code":305,"request":true' "$1" || true
}
last_ppr_id() {
  sql "SELECT coalesce(max(id), 0) FROM outbox WHERE kind = 2;"
}

# ppr_of FILE EXPR: python EXPR over the first PPR's JSON d, with
# find(avps, code, vendor) at hand; "no PPR" when there is none.
ppr_of() {
  python3 - "$(first_request "$1" 305)" "$2" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
def find(avps, code, vendor=0):
    return [a for a in avps if a["code"] == code and a["vendor"] == vendor]
def text(a): # an OctetString AVP's value as text
    v = a.get("value")
    return bytes.fromhex(v["hex"]).decode() if isinstance(v, dict) else v
if sys.argv[1]:
    d = json.loads(sys.argv[1])
    print(eval("(" + sys.argv[2] + ")"))
else:
    print("no PPR")
PY
}

# waf_of FILE: WAF names in the first PPR's Allowed-WAF-WWSF-Identities.
waf_of() {
  ppr_of "$1" '",".join(a["value"] for a in g[0]["avps"] if a["code"] == 657)
               if (g := find(d["avps"], 656, 10415)) else "absent"'
}

# barred_of FILE: "Identity=BarringIndication,..." of the first PPR's
# User-Data.
barred_of() {
  ppr_of "$1" '",".join(sorted("%s=%s" % (p.findtext("Identity"),
                                        p.findtext("BarringIndication") or "0")
    for p in ET.fromstring(text(find(d["avps"], 606, 10415)[0]))
                 .iter("PublicIdentity")))'
}

# ppr_ha1 FILE: "Destination-Host|Digest-HA1" of the first PPR.
ppr_ha1() {
  ppr_of "$1" '"%s|%s" % (find(d["avps"], 293)[0]["value"],
    find(find(find(d["avps"], 612, 10415)[0]["avps"], 635, 10415)[0]["avps"],
         121)[0]["value"])'
}

# ---- 1. RTR answered: DONE ----------------------------------------------
out1=$T_DIR/scscf1.out
start_scscf "$out1"
sleep 0.5
hssctl reg deregister "$IMPI" --reason server-change >/dev/null
wait_for "$out1" '"code":304,"request":true' 10 || true
check "RTR reaches the S-CSCF with User-Name and every registered IMPU" \
  "$IMPI|$IMPU1,$IMPU2|2|scscf.localdomain" "$(rtr_summary "$out1")"
id1=$(last_rtr_id)
check "outbox row DONE after RTA 2001" 2 \
  "$(await_state "$id1" 2)"
check "IMPU not registered any more" 0 \
  "$(sql "SELECT reg_state FROM impu WHERE name = '$IMPU1';")"
wait "$SCSCF_PID" 2>/dev/null || true

# ---- 2. RTR never answered: FAILED after 2 attempts ----------------------
out2=$T_DIR/scscf2.out
LISTEN_COUNT=2 start_scscf "$out2" --rta-result none
sleep 0.5
hssctl reg deregister "$IMPI" >/dev/null
id2=$(last_rtr_id)
check "a second RTR was queued" yes "$([ "$id2" != "$id1" ] && echo yes)"
check "outbox row FAILED after the attempts" 3 \
  "$(await_state "$id2" 3 100)"
check "the RTR was sent outbox_max_attempts times" 2 "$(count_rtrs "$out2")"
check "HSS logged the final failure" yes \
  "$(grep -q "RTR #$id2 .*failed" "$HSS_LOG" && echo yes)"

wait "$SCSCF_PID" 2>/dev/null || true

# ---- 3. PPR after a WAF change: DONE -------------------------------------
out3=$T_DIR/scscf3.out
start_scscf "$out3"
sleep 0.5
hssctl waf add alice waf.example.org >/dev/null
wait_for "$out3" '"code":305,"request":true' 10 || true
check "PPR carries the new Allowed-WAF-WWSF-Identities" waf.example.org \
  "$(waf_of "$out3")"
id3=$(last_ppr_id)
check "PPR outbox row DONE after PPA 2001" 2 \
  "$(await_state "$id3" 2)"
wait "$SCSCF_PID" 2>/dev/null || true

# ---- 3b. PPR after barring a registered IMPU: the new User-Data ---------
out3b=$T_DIR/scscf3b.out
start_scscf "$out3b"
sleep 0.5
hssctl impu bar "$IMPU2" >/dev/null
wait_for "$out3b" '"code":305,"request":true' 10 || true
check "PPR carries the User-Data with the barring" \
  "$IMPU1=0,$IMPU2=1" "$(barred_of "$out3b")"
id3b=$(last_ppr_id)
check "User-Data PPR outbox row DONE after PPA 2001" 2 \
  "$(await_state "$id3b" 2)"
wait "$SCSCF_PID" 2>/dev/null || true

# ---- 4. PPR never answered: FAILED, then the fallback RTR ----------------
out4=$T_DIR/scscf4.out
LISTEN_COUNT=3 start_scscf "$out4" --ppa-result none
sleep 0.5
hssctl waf remove alice waf.example.org >/dev/null
id4=$(last_ppr_id)
check "a second PPR was queued" yes "$([ "$id4" != "$id3" ] && echo yes)"
wait_for "$out4" '"code":304,"request":true' 15 || true
check "PPR row FAILED after the attempts" 3 "$(outbox_state "$id4")"
check "the PPR was sent outbox_max_attempts times" 2 "$(count_pprs "$out4")"
check "an empty list is pushed as an empty group" "" "$(waf_of "$out4")"
check "fallback RTR (SERVER_CHANGE) names the registered IMPUs" \
  "$IMPI|$IMPU1,$IMPU2|2|scscf.localdomain" "$(rtr_summary "$out4")"
check "fallback cleared the registration" 0 \
  "$(sql "SELECT reg_state FROM impu WHERE name = '$IMPU1';")"
wait "$SCSCF_PID" 2>/dev/null || true

# ---- 5. lease expiry: the sweep de-registers the pool identity -----------
hssctl pool create webpool --wwsf=wwsf.example.org --ttl=1h \
  --quarantine=1m >/dev/null
hssctl pool add-members webpool --pattern='sip:web-{01..01}@localdomain' \
  >/dev/null
hssctl sub web-auth web-01@localdomain on >/dev/null
hssctl lease acquire webpool --holder=browser-1 --ttl=3s >/dev/null
out5=$T_DIR/scscf5.out
REG_IMPI=web-01@localdomain REG_IMPU=sip:web-01@localdomain \
  start_scscf "$out5"
check "pool identity registered while leased" 1 \
  "$(sql "SELECT reg_state FROM impu WHERE name = 'sip:web-01@localdomain';")"
wait_for "$out5" '"code":304,"request":true' 15 || true
check "lease expiry de-registers with an RTR" \
  "web-01@localdomain|sip:web-01@localdomain|0|scscf.localdomain" \
  "$(rtr_summary "$out5")"
check "HSS logged the sweep" yes \
  "$(grep -q 'lease sweep: 1 expired' "$HSS_LOG" && echo yes)"
check "pool identity not registered after the sweep" 0 \
  "$(sql "SELECT reg_state FROM impu WHERE name = 'sip:web-01@localdomain';")"
wait "$SCSCF_PID" 2>/dev/null || true

# ---- 6. password changed during an authentication: PPR to its S-CSCF ----
# TS 29.228 §6.5.2.4. The authentication in flight is the HSS's own state
# (memory): hssctl queues the PPR without a destination, the HSS finds the
# S-CSCF that sent the MAR and sends it the new SIP-Auth-Data-Item.
WIC=bob-wic@localdomain
hssctl sub create bob >/dev/null
hssctl impu add bob sip:bob@localdomain >/dev/null
echo old-pw | hssctl webrtc issue bob "$WIC" --impu=sip:bob@localdomain \
  --realm=localdomain --password-stdin >/dev/null
out6=$T_DIR/scscf6.out
cx mar --user-name "$WIC" --impu sip:bob@localdomain \
   --server-name "$SCSCF_NAME" --scheme "SIP Digest" \
   --dest-host hss.localdomain --listen 25 --listen-count 1 >"$out6" 2>&1 &
SCSCF_PID=$!
T_PIDS+=("$SCSCF_PID")
wait_for "$out6" '"command"' 15 || true
check "MAR of the WIC answered 2001" rc:2001 "$(result_of "$(head -n 1 "$out6")")"
echo new-pw | hssctl webrtc rotate "$WIC" --password-stdin >/dev/null
id6=$(last_ppr_id)
check "the PPR was queued without a destination" "|" \
  "$(sql "SELECT dest_host || '|' || dest_realm FROM outbox WHERE id = $id6;")"
wait_for "$out6" '"code":305,"request":true' 10 || true
check "PPR reaches the MAR's S-CSCF with the new H(A1)" \
  "scscf.localdomain|$(printf '%s:localdomain:new-pw' "$WIC" | md5sum | cut -d' ' -f1)" \
  "$(ppr_ha1 "$out6")"
check "PPR outbox row DONE after PPA 2001" 2 \
  "$(await_state "$id6" 2)"
wait "$SCSCF_PID" 2>/dev/null || true
# Never answered (as Kamailio does with PPR): FAILED after the attempts;
# the RTR fallback finds nothing registered and queues nothing.
out6b=$T_DIR/scscf6b.out
cx mar --user-name "$WIC" --impu sip:bob@localdomain \
   --server-name "$SCSCF_NAME" --scheme "SIP Digest" --ppa-result none \
   --dest-host hss.localdomain --listen 25 --listen-count 2 >"$out6b" 2>&1 &
SCSCF_PID=$!
T_PIDS+=("$SCSCF_PID")
wait_for "$out6b" '"command"' 15 || true
rtrs_before=$(last_rtr_id)
echo newer-pw | hssctl webrtc rotate "$WIC" --password-stdin >/dev/null
id6b=$(last_ppr_id)
await_state "$id6b" 3 100 >/dev/null
check "unanswered PPR of an authentication ends FAILED" 3 \
  "$(outbox_state "$id6b")"
check "the PPR was sent outbox_max_attempts times" 2 "$(count_pprs "$out6b")"
check "no fallback RTR for an IMPI with nothing registered" "$rtrs_before" \
  "$(last_rtr_id)"
check "HSS logged the fallback had nothing to de-register" yes \
  "$(grep -q "PPR #$id6b failed: nothing is registered through $WIC" \
       "$HSS_LOG" && echo yes)"
wait "$SCSCF_PID" 2>/dev/null || true
# No authentication in flight, nothing registered: nothing to send.
hssctl impu add bob sip:bob2@localdomain >/dev/null
echo idle-pw | hssctl webrtc issue bob "carol-wic@localdomain" \
  --impu=sip:bob2@localdomain --realm=localdomain --password-stdin >/dev/null
echo idle-pw2 | hssctl webrtc rotate carol-wic@localdomain --password-stdin \
  >/dev/null
id7=$(last_ppr_id)
await_state "$id7" 2 >/dev/null
check "a PPR nobody can take ends DONE, result 0" "2|0" \
  "$(sql "SELECT state || '|' || last_result FROM outbox WHERE id = $id7;")"
check "HSS logged that it had nothing to send" yes \
  "$(grep -q "PPR #$id7 for carol-wic@localdomain: nothing to send" \
       "$HSS_LOG" && echo yes)"

# ---- 7. a profile change while the S-CSCF serves an unregistered user ----
# TS 29.228 §6.5.2.1: after SAR UNREGISTERED_USER (no User-Name) the S-CSCF
# holds carl's User-Data; barring reaches it with the IMPI its SAA named.
hssctl sub create carl >/dev/null
hssctl impi add carl carl@localdomain >/dev/null
hssctl impu add carl sip:carl@localdomain --impi=carl@localdomain >/dev/null
out7=$T_DIR/scscf7.out
cx sar --impu sip:carl@localdomain --server-name "$SCSCF_NAME" \
   --sat UNREGISTERED_USER --udaa 0 --dest-host hss.localdomain \
   --listen 25 --listen-count 1 >"$out7" 2>&1 &
SCSCF_PID=$!
T_PIDS+=("$SCSCF_PID")
wait_for "$out7" '"command"' 15 || true
check "SAR(UNREGISTERED_USER) of carl answered 2001" rc:2001 \
  "$(result_of "$(head -n 1 "$out7")")"
check "barring carl queues one PPR" 1 \
  "$(jget "$(hssctl --json impu bar sip:carl@localdomain)" 'd["ppr_queued"]')"
wait_for "$out7" '"code":305,"request":true' 10 || true
check "the PPR names carl's IMPI and carries the barring" \
  "carl@localdomain sip:carl@localdomain=1" \
  "$(ppr_of "$out7" 'find(d["avps"], 1)[0]["value"]') $(barred_of "$out7")"
id8=$(last_ppr_id)
check "its outbox row ends DONE after PPA 2001" 2 "$(await_state "$id8" 2)"
wait "$SCSCF_PID" 2>/dev/null || true

hss_stop
check "HSS stopped cleanly" yes \
  "$(grep -q 'hss_cx: stopped' "$HSS_LOG" && echo yes)"
t_done
