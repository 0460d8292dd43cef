#!/usr/bin/env bash
# test_scscf.sh - registrations straight to Kamailio's S-CSCF (ims_auth +
# ims_registrar_scscf, etc/kamailio/scscf.cfg) against the real HSS:
#  - a WebRTC client registers with its own WebRTC IMPI and password
#    (TS 33.203 X.2.2.1): 401 with a SIP Digest challenge built from the
#    H(A1) of the MAA, 200 OK with P-Associated-URI from our User-Data
#    (validated by the S-CSCF against CxDataType_Rel7.xsd), re-registration,
#    de-registration;
#  - the user's regular IMPI registers beside it on the same IMPU; each
#    password fails (403) for the other IMPI;
#  - wrong password: no 200; unknown user: 403;
#  - the MAR/MAA/SAR/SAA seen on the wire: scheme "Digest-MD5" asked,
#    "SIP Digest" item answered, SAR types 1, 2, 5; tshark decodes it all,
#    no malformed packet, no expert error, every request answered.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
interop_require
interop_net 31

R=$DOMAIN
WEB_PW=webrtc-Pass-0001
REG_PW=regular-Pass-0002

hss_start
capture_start
kam_start scscf

# ---- provisioning: one user, a regular IMPI and a WebRTC IMPI --------------
provision_user alice "$REG_PW" "$WEB_PW"

wait_peers scscf.localdomain
S=$SCSCF_IP:$SCSCF_PORT

# ---- WebRTC IMPI: registration, re-registration ---------------------------
out=$(reg "$S" "alice.webrtc@$R" "$WEB_PW" 600)
echo "webrtc register: $out"
check "WebRTC REGISTER is challenged (401)" yes \
  "$(grep -q 'challenge=401' <<<"$out" && echo yes || echo no)"
check "WebRTC REGISTER with the right digest -> 200" 200 "$(final_of "$out")"
check "200 OK carries P-Associated-URI from the User-Data" \
  "<sip:alice@$R>" "$(sed -n 's/.*pau= *\(<[^>]*>\).*/\1/p' <<<"$out")"
check "HSS: IMPU registered" yes \
  "$(hssctl reg show "sip:alice@$R" | grep -qi 'registered' && echo yes || echo no)"

out=$(reg "$S" "alice.webrtc@$R" "$WEB_PW" 600)
echo "webrtc re-register: $out"
check "WebRTC re-registration -> 200" 200 "$(final_of "$out")"

# ---- the regular IMPI beside it; crossed passwords ------------------------
out=$(reg "$S" "alice@$R" "$REG_PW" 600 "sip:alice@$UE_IP:5098")
echo "regular register: $out"
check "regular IMPI registers beside the WebRTC one -> 200" 200 "$(final_of "$out")"

out=$(reg "$S" "alice@$R" "$WEB_PW" 600 "sip:alice@$UE_IP:5097")
echo "regular IMPI, WebRTC password: $out"
check "WebRTC password refused for the regular IMPI (403)" 403 "$(final_of "$out")"

out=$(reg "$S" "alice.webrtc@$R" "$REG_PW" 600 "sip:alice@$UE_IP:5096")
echo "WebRTC IMPI, regular password: $out"
check "regular password refused for the WebRTC IMPI (403)" 403 "$(final_of "$out")"

out=$(reg "$S" "alice.webrtc@$R" "not-the-password" 600 "sip:alice@$UE_IP:5095")
echo "wrong password: $out"
check "wrong password: no 200 (403)" 403 "$(final_of "$out")"

# ---- unknown user -----------------------------------------------------------
out=$(REG_USER=nobody reg "$S" "nobody@$R" "whatever" 600 "sip:nobody@$UE_IP:5094")
echo "unknown user: $out"
check "unknown user -> 403 from the S-CSCF (MAA 5001)" 403 "$(final_of "$out")"

# ---- de-registration ----------------------------------------------------------
out=$(reg "$S" "alice.webrtc@$R" "$WEB_PW" 0)
echo "webrtc de-register: $out"
check "WebRTC de-registration -> 200" 200 "$(final_of "$out")"
out=$(reg "$S" "alice@$R" "$REG_PW" 0 "sip:alice@$UE_IP:5098")
echo "regular de-register: $out"
check "regular de-registration -> 200" 200 "$(final_of "$out")"

capture_stop
kam_stop scscf

# ---- what Kamailio said -------------------------------------------------------
klog=$T_DIR/scscf/kamailio.log
check "S-CSCF: no User-Data/XSD validation error" "" \
  "$(grep -iE 'xsd|not valid|validat|parse.*user.?data' "$klog" | grep -iE 'err|fail|invalid' | head -3)"
check "S-CSCF: no crash" "" \
  "$(grep -E 'signal 11|SIGSEGV|core dump' "$klog" | head -3)"

# ---- what went over the wire ----------------------------------------------------
source "$(dirname "$0")/wire_checks.sh"
wire_checks

schemes=$(decode -Y 'diameter.cmd.code == 303 && diameter.flags.request == 1' \
  -T fields -e diameter.3GPP-SIP-Authentication-Scheme | sort -u | tr '\n' ' ')
check "MAR asks for Digest-MD5 (ims_www_challenge algorithm MD5)" "Digest-MD5 " "$schemes"
schemes=$(decode -Y 'diameter.cmd.code == 303 && diameter.flags.request == 0 &&
  diameter.Result-Code == 2001' -T fields -e diameter.3GPP-SIP-Authentication-Scheme \
  | sort -u | tr '\n' ' ')
check "MAA answers a SIP Digest item" "SIP Digest " "$schemes"
sats=$(decode -Y 'diameter.cmd.code == 301 && diameter.flags.request == 1' \
  -T fields -e diameter.Server-Assignment-Type | sort -un | tr '\n' ' ')
check "SAR types seen: REGISTRATION, RE_REGISTRATION, USER_DEREGISTRATION" \
  "1 2 5 " "$sats"

# The S-CSCF accepted our User-Data with user_data_xsd set; check it the
# same way here, on the bytes that went over the wire.
decode -Y 'diameter.cmd.code == 301 && diameter.flags.request == 0 &&
  diameter.Cx-User-Data' -T fields -e diameter.Cx-User-Data | head -n 1 \
  | python3 -c 'import sys; v=sys.stdin.read().strip().split(",")[0]
sys.stdout.write(bytes.fromhex(v.replace(":","")).decode() if all(c in "0123456789abcdefABCDEF:" for c in v) else v)' \
  >"$T_DIR/user-data.xml"
check "User-Data valid against CxDataType_Rel7.xsd (xmllint)" ok \
  "$(xmllint --noout --schema "$CX_XSD" "$T_DIR/user-data.xml" >/dev/null 2>&1 && echo ok || echo invalid)"

t_done
