#!/usr/bin/env bash
# test_sar.sh - Server-Assignment-Request end to end (TS 29.228 §6.1.2,
# TS 29.229 §6.1.3/6.1.4, TS 33.203 Annex X): subscribers provisioned with
# the real hssctl, a real freeDiameterd with dict_cx.fdx + hss_cx.fdx, SARs
# sent by cx-client. Checks the TNA policy (no MAR), User-Data and Allowed-
# WAF-WWSF-Identities in the SAA, 5009, de-registration, and that the
# registration state survives a restart of freeDiameterd.
#
# Standalone: BUILD_DIR=... SRC_DIR=... bash tests/integration/test_sar.sh
#
# SPDX-License-Identifier: BSD-2-Clause
source "$SRC_DIR/tests/integration/lib.sh"

SERVER=sip:scscf.localdomain
ALICE=alice@localdomain
ALICE_U=sip:alice@localdomain
WEB=webby@localdomain
WEB_U=sip:webby@localdomain
CAROL=carol@localdomain
CAROL_U=sip:carol@localdomain

# sar SAT IMPI IMPU [more cx-client options]
sar() {
  local sat=$1 impi=$2 impu=$3; shift 3
  cx sar --sat "$sat" --user-name "$impi" --impu "$impu" \
     --server-name "$SERVER" --udaa 0 "$@"
}

# has JSON NAME: 1 when a top-level AVP NAME is in the answer, else 0.
has() {
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
print(1 if any(a.get("name") == sys.argv[2] for a in d.get("avps", [])) else 0)
PY
}

# value JSON NAME: the value of the first top-level AVP NAME ("" if none).
value() {
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
for a in d.get("avps", []):
    if a.get("name") == sys.argv[2]:
        print(a.get("value", "")); break
else:
    print("")
PY
}

# user_data_ok JSON: 1 when User-Data is a well-formed IMSSubscription.
user_data_ok() {
  python3 - "$1" <<'PY'
import json, sys, xml.etree.ElementTree as ET
d = json.loads(sys.argv[1])
for a in d.get("avps", []):
    if a.get("name") == "User-Data":
        v = a.get("value")
        if isinstance(v, dict): v = bytes.fromhex(v["hex"]).decode()
        r = ET.fromstring(v.encode())
        print(1 if r.tag == "IMSSubscription" and r.find("PrivateID") is not None else 0)
        break
else:
    print(0)
PY
}

mkdir -p "$T_DIR/hss"
HSS_DB=$T_DIR/hss/hss.db
HSS_KEY=$T_DIR/hss/master.key
if ! { [ -x "$HSSCTL" ] && "$HSSCTL" --help >/dev/null 2>&1; }; then
  echo "SKIP: hssctl is not available ($HSSCTL)"; exit 0
fi
P=$T_DIR/prov.log
{
  hssctl init
  hssctl sub create alice
  hssctl impi add alice "$ALICE" --schemes=digest --default-scheme=digest
  echo pw1 | hssctl cred digest "$ALICE" --realm=localdomain --password-stdin
  hssctl impu add alice "$ALICE_U" --impi="$ALICE"
  hssctl impu add alice sip:alice2@localdomain --impi="$ALICE"
  hssctl sub create carol
  hssctl impi add carol "$CAROL" --schemes=digest --default-scheme=digest
  echo pw3 | hssctl cred digest "$CAROL" --realm=localdomain --password-stdin
  hssctl impu add carol "$CAROL_U" --impi="$CAROL"
  hssctl sub create webby
  hssctl impi add webby "$WEB"
  hssctl impu add webby "$WEB_U" --impi="$WEB"
  hssctl sub web-auth webby on
  hssctl wwsf add webby wwsf.partner.example
  hssctl waf add webby waf.partner.example
} >"$P" 2>&1 || { echo "provisioning with hssctl failed:"; cat "$P"; exit 1; }

hss_start

# ---- TNA: no MAR --------------------------------------------------------
a=$(sar REGISTRATION "$ALICE" "$ALICE_U")
check "REGISTRATION without MAR, not web-enabled -> AUTHORIZATION_REJECTED" \
  rc:5003 "$(result_of "$a")"
a=$(sar REGISTRATION "$WEB" "$WEB_U" --raw-avp 494:50:u32-m:1)
check "REGISTRATION without MAR, web-enabled -> SUCCESS" rc:2001 \
  "$(result_of "$a")"
check "TNA SAA carries Allowed-WAF-WWSF-Identities" 1 \
  "$(has "$a" Allowed-WAF-WWSF-Identities)"
check "TNA SAA carries User-Data" 1 "$(user_data_ok "$a")"

# ---- with MAR -------------------------------------------------------------
a=$(cx mar --user-name "$ALICE" --impu "$ALICE_U" --server-name "$SERVER" \
      --scheme "SIP Digest")
check "MAR SIP Digest" rc:2001 "$(result_of "$a")"
a=$(sar REGISTRATION "$ALICE" "$ALICE_U")
check "REGISTRATION after MAR -> SUCCESS" rc:2001 "$(result_of "$a")"
check "SAA User-Name" "$ALICE" "$(value "$a" User-Name)"
check "SAA User-Data is an IMSSubscription" 1 "$(user_data_ok "$a")"
check "no WAF/WWSF list for alice" 0 "$(has "$a" Allowed-WAF-WWSF-Identities)"
a=$(sar REGISTRATION "$ALICE" "$ALICE_U" --impu sip:alice2@localdomain)
check "two Public-Identity with REGISTRATION -> 5009" rc:5009 \
  "$(result_of "$a")"
a=$(cx sar --sat REGISTRATION --user-name "$ALICE" --impu "$ALICE_U" \
      --server-name "$SERVER" --omit User-Data-Already-Available)
check "no User-Data-Already-Available -> MISSING_AVP" rc:5005 \
  "$(result_of "$a")"
a=$(cx sar --sat REGISTRATION --user-name "$ALICE" --impu "$ALICE_U" \
      --server-name sip:other.localdomain --udaa 0)
check "another S-CSCF -> IDENTITY_ALREADY_REGISTERED" er:5005 \
  "$(result_of "$a")"
check "5005 names the assigned S-CSCF" "$SERVER" "$(value "$a" Server-Name)"

# An authentication in flight is kept in the HSS's memory, not stored: the
# I-CSCF is sent to the S-CSCF that challenged, hssctl sees nothing.
a=$(cx mar --user-name "$CAROL" --impu "$CAROL_U" --server-name "$SERVER" \
      --scheme "SIP Digest")
check "MAR for carol" rc:2001 "$(result_of "$a")"
a=$(cx uar --user-name "$CAROL" --impu "$CAROL_U")
check "UAR while carol authenticates -> SUBSEQUENT_REGISTRATION" \
  "er:2002 $SERVER" "$(result_of "$a") $(value "$a" Server-Name)"
check "nothing stored for carol's authentication" "no no" \
  "$(hssctl sub show carol | grep -q "^scscf: ." && echo yes || echo no) \
$(hssctl sub show carol | grep -q 'auth_pending: yes' && echo yes || echo no)"

# ---- restart: the state is in the database --------------------------------
hss_stop
check "the stop logs what it forgets (carol's authentication)" 1 \
  "$(grep -c 'forgetting 1 subscriptions with authentications in flight' "$HSS_LOG")"
hss_start
# ... but not the authentication in flight: fail-closed, the UE starts over
a=$(cx uar --user-name "$CAROL" --impu "$CAROL_U")
check "after restart UAR for carol -> FIRST_REGISTRATION" er:2001 \
  "$(result_of "$a")"
a=$(sar REGISTRATION "$CAROL" "$CAROL_U")
check "after restart REGISTRATION of the forgotten MAR -> refused" rc:5003 \
  "$(result_of "$a")"
a=$(cx mar --user-name "$CAROL" --impu "$CAROL_U" --server-name "$SERVER" \
      --scheme "SIP Digest")
a=$(sar REGISTRATION "$CAROL" "$CAROL_U")
check "a new MAR, then REGISTRATION -> SUCCESS" rc:2001 "$(result_of "$a")"
a=$(cx lir --impu "$ALICE_U")
check "after restart LIR -> SUCCESS" rc:2001 "$(result_of "$a")"
check "after restart LIR Server-Name" "$SERVER" "$(value "$a" Server-Name)"
a=$(sar RE_REGISTRATION "$ALICE" "$ALICE_U" --udaa 1)
check "after restart RE_REGISTRATION without MAR -> SUCCESS" rc:2001 \
  "$(result_of "$a")"
check "RE_REGISTRATION with data available: no User-Data" 0 \
  "$(has "$a" User-Data)"

# ---- de-registration ---------------------------------------------------------
a=$(sar USER_DEREGISTRATION "$ALICE" "$ALICE_U")
check "USER_DEREGISTRATION -> SUCCESS" rc:2001 "$(result_of "$a")"
a=$(cx lir --impu "$ALICE_U")
check "after de-registration LIR -> IDENTITY_NOT_REGISTERED" er:5003 \
  "$(result_of "$a")"
a=$(sar RE_REGISTRATION "$ALICE" "$ALICE_U")
check "RE_REGISTRATION after de-registration without MAR -> refused" rc:5003 \
  "$(result_of "$a")"

t_done
