#!/usr/bin/env bash
# test_uar_lir.sh - UAR and LIR against a real freeDiameterd running
# dict_cx.fdx + hss_cx.fdx (TS 29.228 §6.1.1, §6.1.4): provisioning with
# hssctl, requests with cx-client, one check per answer's result. Also a
# malformed UAR (no User-Name) must get 5005 with a Failed-AVP, never
# silence.
#
# usage: BUILD_DIR=... SRC_DIR=... tests/integration/test_uar_lir.sh
#
# SPDX-License-Identifier: BSD-2-Clause
set -euo pipefail
. "$(dirname "$0")/lib.sh"

R=localdomain
VNID=visited.$R

# Server-Name of an answer JSON ("" when absent); top level only.
server_name_of() {
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
print(next((a.get("value", "") for a in d.get("avps", [])
            if a["code"] == 602 and a["vendor"] == 10415), ""))
PY
}

# "yes" when the answer has a top-level AVP (code, vendor).
has_avp() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
c, v = int(sys.argv[2]), int(sys.argv[3])
print("yes" if any(a["code"] == c and a["vendor"] == v
                   for a in d.get("avps", [])) else "no")
PY
}

# Codes of the AVPs inside the answer's Failed-AVP, comma separated.
failed_avp_codes() {
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
fa = [a for a in d.get("avps", []) if a["code"] == 279]
print(",".join(str(c["code"]) for c in (fa[0].get("avps", []) if fa else [])))
PY
}

uar() { cx uar --visited-network "$VNID" "$@"; }

# ---- provisioning (hssctl, the operator's path) ----------------------------
hss_start
hssctl sub create alice >/dev/null
hssctl impi add alice "alice@$R" --kind=webrtc --schemes=digest >/dev/null
hssctl impu add alice "sip:alice@$R" --impi="alice@$R" >/dev/null
hssctl impu add alice "sip:alice2@$R" --irs-with="sip:alice@$R" \
  --impi="alice@$R" >/dev/null
hssctl impu add alice "sip:lonely@$R" >/dev/null
hssctl sub visited add alice "$VNID" >/dev/null
# web-auth: the SAR(REGISTRATION) below comes without a MAR (TNA, Annex U)
hssctl sub web-auth alice on >/dev/null
hssctl sub capability add alice --mandatory=1 >/dev/null
hssctl sub capability add alice --optional=2 >/dev/null

hssctl sub create barred >/dev/null
hssctl impi add barred "barred@$R" >/dev/null
hssctl impu add barred "sip:barred@$R" --impi="barred@$R" >/dev/null
hssctl impu bar "sip:barred@$R" >/dev/null

hssctl sub create revoked >/dev/null
hssctl impu add revoked "sip:revoked@$R" >/dev/null
hssctl webrtc issue revoked "revoked.webrtc@$R" --impu="sip:revoked@$R" \
  --realm="$R" --password-file=<(echo "not-a-real-password") >/dev/null
hssctl webrtc revoke "revoked.webrtc@$R" --yes >/dev/null

# ---- UAR --------------------------------------------------------------------
out=$(uar --user-name "alice@$R" --impu "sip:alice@$R")
check "UAR first registration" "er:2001" "$(result_of "$out")"
check "UAR first registration has Server-Capabilities" yes \
  "$(has_avp "$out" 603 10415)"

out=$(uar --user-name "alice@$R" --impu "sip:alice@$R" \
  --auth-type REGISTRATION_AND_CAPABILITIES)
check "UAR REGISTRATION_AND_CAPABILITIES" "rc:2001" "$(result_of "$out")"

out=$(uar --user-name "nobody@$R" --impu "sip:alice@$R")
check "UAR unknown IMPI" "er:5001" "$(result_of "$out")"

out=$(uar --user-name "alice@$R" --impu "sip:nobody@$R")
check "UAR unknown IMPU" "er:5001" "$(result_of "$out")"

out=$(uar --user-name "alice@$R" --impu "sip:lonely@$R")
check "UAR identities don't match" "er:5002" "$(result_of "$out")"

out=$(cx uar --visited-network "elsewhere.example" --user-name "alice@$R" \
  --impu "sip:alice@$R")
check "UAR roaming not allowed" "er:5004" "$(result_of "$out")"

out=$(uar --user-name "alice@$R" --impu "sip:alice@$R" \
  --auth-type DE_REGISTRATION)
check "UAR de-registration, not registered" "er:5003" "$(result_of "$out")"

out=$(uar --user-name "barred@$R" --impu "sip:barred@$R")
check "UAR barred" "rc:5003" "$(result_of "$out")"
out=$(uar --user-name "barred@$R" --impu "sip:barred@$R" --uar-flags 1)
check "UAR barred, emergency" "er:2001" "$(result_of "$out")"

out=$(uar --user-name "revoked.webrtc@$R" --impu "sip:revoked@$R")
check "UAR revoked WebRTC identity" "rc:5003" "$(result_of "$out")"

# An unknown vendor AVP without the M bit is ignored.
out=$(uar --user-name "alice@$R" --impu "sip:alice@$R" \
  --raw-avp 494:50:u32-m:1)
check "UAR with vendor-50 AVP" "er:2001" "$(result_of "$out")"

# Malformed: no User-Name -> DIAMETER_MISSING_AVP with Failed-AVP {User-Name}
out=$(uar --impu "sip:alice@$R" --omit User-Name)
check "UAR without User-Name answered 5005" "rc:5005" "$(result_of "$out")"
check "UAR without User-Name names it in Failed-AVP" "1" \
  "$(failed_avp_codes "$out")"

# ---- LIR --------------------------------------------------------------------
out=$(cx lir --impu "sip:nobody@$R")
check "LIR unknown" "er:5001" "$(result_of "$out")"

out=$(cx lir --impu "sip:alice@$R")
check "LIR not registered" "er:5003" "$(result_of "$out")"

out=$(cx lir --impu "sip:alice@$R" --originating)
check "LIR originating, no S-CSCF: capabilities" "er:2003" \
  "$(result_of "$out")"
check "LIR 2003 has Server-Capabilities" yes "$(has_avp "$out" 603 10415)"

out=$(cx lir --impu "sip:alice@$R" --omit Public-Identity)
check "LIR without Public-Identity answered 5005" "rc:5005" \
  "$(result_of "$out")"

# ---- after a registration (SAR stores the S-CSCF) ---------------------------
SCSCF="sip:scscf.$R:6060"
out=$(cx sar --user-name "alice@$R" --impu "sip:alice@$R" \
  --server-name "$SCSCF" --sat REGISTRATION --udaa 0)
check "SAR REGISTRATION (prerequisite)" "rc:2001" "$(result_of "$out")"

out=$(uar --user-name "alice@$R" --impu "sip:alice@$R")
check "UAR registered: subsequent registration" "er:2002" \
  "$(result_of "$out")"
check "UAR registered: Server-Name" "$SCSCF" "$(server_name_of "$out")"

out=$(uar --user-name "alice@$R" --impu "sip:alice@$R" \
  --auth-type DE_REGISTRATION)
check "UAR registered, de-registration" "rc:2001" "$(result_of "$out")"
check "UAR de-registration: Server-Name" "$SCSCF" "$(server_name_of "$out")"

out=$(cx lir --impu "sip:alice@$R")
check "LIR registered" "rc:2001" "$(result_of "$out")"
check "LIR registered: Server-Name" "$SCSCF" "$(server_name_of "$out")"

# ---- defaults for subscriptions without their own S-CSCF data --------------
# Kamailio's cdp drops an answer with an empty grouped AVP: operators give
# every subscription a preferred S-CSCF or capability once, as defaults.
hssctl sub create plain >/dev/null
hssctl impi add plain "plain@$R" >/dev/null
hssctl impu add plain "sip:plain@$R" --impi="plain@$R" >/dev/null
hssctl default scscf-pref add "sip:scscf-default.$R:6060" >/dev/null
hssctl default capability add --mandatory=7 >/dev/null
out=$(uar --user-name "plain@$R" --impu "sip:plain@$R")
check "UAR without own capabilities: first registration" "er:2001" \
  "$(result_of "$out")"
check "UAR: Server-Capabilities carry the default S-CSCF and capability" \
  "sip:scscf-default.$R:6060 7" "$(python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
caps = [a for a in d["avps"] if a["code"] == 603]
inner = caps[0]["avps"] if caps else []
names = [a["value"] for a in inner if a["code"] == 602]
mand = [str(a["value"]) for a in inner if a["code"] == 604]
print(" ".join(names + mand))
PY
)"
out=$(uar --user-name "alice@$R" --impu "sip:alice@$R" \
  --auth-type REGISTRATION_AND_CAPABILITIES)
check "UAR: a subscription's own capabilities win over the defaults" "1" \
  "$(python3 - "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
caps = [a for a in d["avps"] if a["code"] == 603]
inner = caps[0]["avps"] if caps else []
print(" ".join(str(a["value"]) for a in inner if a["code"] == 604))
PY
)"

hss_stop
t_done
