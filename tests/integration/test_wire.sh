#!/usr/bin/env bash
# test_wire.sh - what the HSS puts on the wire, judged by an independent
# decoder: captures one UAR/MAR/SAR/LIR exchange with tshark on loopback
# (the test's port only), then has Wireshark's Diameter dissector (with its
# own 3GPP dictionary) decode it. Fails when any Diameter message is
# malformed or carries an expert info of severity warning or error, or when
# a request has no answer.
#
# Expert infos of severity "chat" and "note" are listed for the reader but
# do not fail the test: they are informational by definition (e.g. TCP
# sequence analysis, connection closing), not defects. Expert infos raised
# by TCP itself are not Diameter defects and are not looked at: only the
# Diameter dissection is (see the two tolerated warnings below).
#
# usage: BUILD_DIR=... SRC_DIR=... tests/integration/test_wire.sh
# Needs tshark and the right to capture on lo (root).
#
# SPDX-License-Identifier: BSD-2-Clause
set -euo pipefail
. "$(dirname "$0")/lib.sh"

R=localdomain
PCAP=$T_DIR/wire.pcap
TSHARK_ERR=$T_DIR/tshark.err
SCSCF="sip:scscf.$R:6060"

if ! command -v tshark >/dev/null; then
  echo "tshark is not installed (Debian package tshark)" >&2
  exit 1
fi

hss_start
hssctl sub create alice >/dev/null
hssctl sub web-auth alice on >/dev/null
hssctl impi add alice "alice@$R" --kind=webrtc --schemes=digest \
  --default-scheme=digest >/dev/null
hssctl impu add alice "sip:alice@$R" --impi="alice@$R" >/dev/null
hssctl cred digest "alice@$R" --realm="$R" \
  --password-file=<(echo "wire-test-password") >/dev/null

# ---- capture: started before the exchange, stopped by PID after ------------
tshark -i lo -f "tcp port $HSS_PORT" -w "$PCAP" >/dev/null 2>"$TSHARK_ERR" &
TSHARK_PID=$!
T_PIDS+=("$TSHARK_PID")
for _ in $(seq 1 100); do
  grep -q "Capturing on" "$TSHARK_ERR" 2>/dev/null && break
  kill -0 "$TSHARK_PID" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "Capturing on" "$TSHARK_ERR"; then
  echo "tshark did not start capturing within 10 s:" >&2
  cat "$TSHARK_ERR" >&2
  exit 1
fi

# One exchange of each command; the results do not matter here, only that
# every message is well-formed and answered.
cx uar --user-name "alice@$R" --impu "sip:alice@$R" \
  --visited-network "$R" >/dev/null || true
cx mar --user-name "alice@$R" --impu "sip:alice@$R" --server-name "$SCSCF" \
  --scheme "SIP Digest" --num-items 1 >/dev/null || true
cx sar --user-name "alice@$R" --impu "sip:alice@$R" --server-name "$SCSCF" \
  --sat REGISTRATION --udaa 0 >/dev/null || true
cx lir --impu "sip:alice@$R" >/dev/null || true
# a malformed request is answered too, and the answer is well-formed
cx uar --impu "sip:alice@$R" --visited-network "$R" --omit User-Name \
  >/dev/null || true

sleep 0.5 # let the last segments reach the capture
stop_pid "$TSHARK_PID" INT

decode() {
  timeout 60 tshark -r "$PCAP" -d "tcp.port==$HSS_PORT,diameter" "$@" \
    2>/dev/null
}

# ---- every message decodes, without warnings or errors ----------------------
n_diam=$(decode -Y diameter | wc -l)
check "capture holds Diameter frames" yes \
  "$([ "$n_diam" -gt 0 ] && echo yes || echo no)"

malformed=$(decode -Y '_ws.malformed' -T fields -e frame.number)
check "no malformed Diameter message" "" "$malformed"

# Expert infos of severity warning/error inside the Diameter dissection
# (-O diameter: details of Diameter only), each attributed to the AVP under
# which Wireshark raised it. Two are tolerated, by name:
#  - "Data is empty" on Server-Capabilities (603): every member of the group
#    is optional (TS 29.229 §6.3.4); the HSS sends it empty when no
#    capabilities are provisioned, which Kamailio's I-CSCF expects;
#  - "Data is empty" on an AVP inside Failed-AVP (279): RFC 6733 §7.5 says
#    a missing AVP is reported with "a zero-filled payload of the minimum
#    required length", which is empty for a UTF8String such as User-Name;
#  - "Unknown AVP 662..666 (vendor=3GPP)": Rel-15+ Cx AVPs
#    (Alternate-Digest-*, Failed-PCSCF, ...) missing from the dictionary of
#    Debian's Wireshark, not a defect of the message.
echo "--- expert infos (summary) ---"
decode -q -z expert,note | sed -n '/Errors\|Warns\|Notes/,$p' | head -40
bad=$(decode -O diameter -V | python3 -c '
import re, sys
frame, avp, bad = "?", "?", []
failed_indent = None   # indentation of the Failed-AVP being walked, if any
for line in sys.stdin:
    m = re.match(r"Frame (\d+):", line)
    if m:
        frame, avp, failed_indent = m.group(1), "?", None
    m = re.search(r"AVP: ([A-Za-z0-9-]+)\((\d+)\)", line)
    if m:
        avp = m.group(2)
        indent = len(line) - len(line.lstrip())
        if failed_indent is not None and indent <= failed_indent:
            failed_indent = None
        if avp == "279":
            failed_indent = indent
    m = re.search(r"\[Expert Info \((Warning|Error)/[^)]*\): (.*)\]", line)
    if not m:
        continue
    msg = m.group(2)
    if msg == "Data is empty" and (avp == "603" or failed_indent is not None):
        continue
    if re.match(r"Unknown AVP 66[2-6] \(vendor=3GPP\)", msg):
        continue
    bad.append("frame %s AVP %s: %s" % (frame, avp, msg))
print("\n".join(bad))
')
check "no Diameter expert warning or error" "" "$bad"

# ---- every Cx answer has the mandatory AVPs of TS 29.229 §6.1 -------------
# {Vendor-Specific-Application-Id} and {Auth-Session-State}, whoever built it
# (hss_cx or freeDiameter's own parser-error answer).
incomplete=$(decode -Y 'diameter.applicationId == 16777216 &&
  diameter.flags.request == 0 && !(diameter.Vendor-Specific-Application-Id
  && diameter.Auth-Session-State)' -T fields -e frame.number \
  -e diameter.cmd.code -e diameter.Result-Code | tr '\t\n' ' ;')
check "every Cx answer carries VSAI and Auth-Session-State" "" \
  "$incomplete"

# ---- every request has its answer --------------------------------------------
pairs=$(decode -T fields -e diameter.cmd.code -e diameter.flags.request \
  -E occurrence=a -E aggregator=/s | python3 -c '
import sys, collections
req = collections.Counter(); ans = collections.Counter()
for line in sys.stdin:
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 2 or not parts[0]:
        continue
    codes = parts[0].split(" "); flags = parts[1].split(" ")
    for c, f in zip(codes, flags):
        if f.lower() in ("1", "true"):
            req[c] += 1
        else:
            ans[c] += 1
print(" ".join("%s:%d/%d" % (c, req[c], ans[c])
               for c in sorted(set(req) | set(ans), key=int)))
')
echo "--- command: requests/answers --- $pairs"
for code in 300 301 302 303; do
  got=$(echo " $pairs " | grep -o " $code:[0-9]*/[0-9]* " | tr -d ' ' || true)
  case $code in 300) want="$code:2/2" ;; *) want="$code:1/1" ;; esac
  check "command $code: every request answered" "$want" "$got"
done
unanswered=$(echo "$pairs" | tr ' ' '\n' | awk -F'[:/]' \
  'NF == 3 && $2 != $3 { print }')
check "every Diameter request (base protocol too) has an answer" "" \
  "$unanswered"

hss_stop
t_done
