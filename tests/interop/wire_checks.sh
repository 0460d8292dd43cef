# wire_checks.sh - checks of the whole Diameter capture of an interop test
# (sourced after lib.sh; the capture must be stopped).
#
# wire_checks: tshark decodes every frame as Diameter with no malformed
# packet and no expert error (warnings are listed; the known harmless ones
# are tolerated, as in tests/integration/test_wire.sh), and every request
# has its answer (matched by TCP stream and hop-by-hop id). Two exceptions:
# a Device-Watchdog request in the last second of the capture (the capture
# stops, not the peer) and a cdp CER without Host-IP-Address (invalid; it
# is counted and reported, freeDiameter 1.2.1 drops it without a CEA).
wire_checks() {
  local n malformed errors bad unanswered
  n=$(decode -Y diameter | wc -l)
  echo "capture: $n Diameter frames"
  check "capture holds Diameter frames" yes "$([ "$n" -gt 0 ] && echo yes || echo no)"

  malformed=$(decode -Y '_ws.malformed' -T fields -e frame.number | tr '\n' ' ')
  check "no Malformed packet" "" "$malformed"

  errors=$(decode -Y '_ws.expert.severity == error' -T fields -e frame.number \
           -e _ws.expert.message | tr '\n' ';')
  check "no expert error" "" "$errors"

  # warnings inside Diameter, by AVP; tolerated: "Data is empty" for an
  # empty Server-Capabilities (603, all members optional) and unknown Rel-15+
  # 3GPP AVPs 662-666 missing from Debian's Wireshark dictionary; Kamailio's
  # vendor-50 AVP 494.
  bad=$(decode -O diameter -V | python3 -c '
import re, sys
frame, avp, bad = "?", "?", []
for line in sys.stdin:
    m = re.match(r"Frame (\d+):", line)
    if m:
        frame, avp = m.group(1), "?"
    m = re.search(r"AVP: ([A-Za-z0-9-]+)\((\d+)\)", line)
    if m:
        avp = m.group(2)
    m = re.search(r"\[Expert Info \((Warning|Error)/[^)]*\): (.*)\]", line)
    if not m:
        continue
    msg = m.group(2)
    if msg == "Data is empty" and avp == "603":
        continue
    if re.match(r"Unknown AVP 66[2-6] \(vendor=3GPP\)", msg):
        continue
    # Kamailio adds its own AVP 494 (the SIP Call-ID) with vendor 50 and
    # no M bit to every request: unknown to Wireshark, legal to ignore.
    if avp == "494" and (msg.startswith("Unknown AVP 494") or msg.startswith("Unknown Vendor")):
        continue
    bad.append("frame %s AVP %s: %s" % (frame, avp, msg))
print("; ".join(bad))
')
  check "no Diameter expert warning" "" "$bad"

  unanswered=$(decode -Y diameter -T fields -e frame.time_relative \
    -e tcp.stream -e diameter.hopbyhopid -e diameter.flags.request \
    -e diameter.cmd.code -e diameter.Host-IP-Address -E occurrence=a \
    -E aggregator=/ | python3 -c '
import sys
req, ans, last, cer_bad = {}, set(), 0.0, []
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if len(f) < 5:
        continue
    t = float(f[0]); last = max(last, t)
    # one TCP segment may carry several messages: fields are /-joined
    for hbh, r, cmd in zip(f[2].split("/"), f[3].split("/"), f[4].split("/")):
        key = (f[1], hbh)
        if r in ("1", "True"):
            # a CER without Host-IP-Address (RFC 6733: {Host-IP-Address}+)
            # is not answered by freeDiameter 1.2.1, it closes the
            # connection; Kamailio cdp sends one now and then and retries
            if cmd == "257" and not (len(f) > 5 and f[5]):
                cer_bad.append(key)
                continue
            req[key] = (t, cmd)
        else:
            ans.add(key)
out = []
for key, (t, cmd) in sorted(req.items()):
    if key in ans:
        continue
    if cmd == "280" and last - t < 1.0:
        continue
    if cmd == "305":  # Kamailio never answers PPR (README; ppr_fallback_rtr)
        continue
    out.append("cmd %s stream %s hbh %s" % (cmd, key[0], key[1]))
print("; ".join(out))
print("cdp CERs without Host-IP-Address (dropped by freeDiameter): %d" % len(cer_bad), file=sys.stderr)
')
  check "every Diameter request has its answer" "" "$unanswered"

  echo "--- Diameter exchanges (command, R flag, result) ---"
  decode -Y diameter -T fields -e diameter.cmd.code -e diameter.flags.request \
    -e diameter.Result-Code -e diameter.Experimental-Result-Code \
    -E occurrence=f | sort | uniq -c | sed 's/^/  /'
}
