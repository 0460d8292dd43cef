#!/usr/bin/env bash
# test_webrtc_scenarios.sh - the three WebRTC scenarios of TS 33.203 Annex X
# end to end: subscribers provisioned with the real hssctl, a real
# freeDiameterd with dict_cx.fdx + hss_cx.fdx, cx-client as I-CSCF (UAR) and
# S-CSCF (MAR, SAR, and listening for the RTRs the HSS sends).
#
#  Scenario 1 (X.2, own WebRTC digest credential): the WebRTC IMPI's flow
#    UAR -> MAR (its own H(A1)) -> SAR; the regular IMPI's MAA never carries
#    an H(A1) of the WebRTC password; the WebRTC IMPI cannot use an IMPU it
#    is not bound to (5002 at UAR, MAR and SAR); `webrtc revoke` sends an RTR
#    naming only what the WebRTC IMPI registered, the regular registration
#    stays.
#  Scenario 2 (X.3, web credentials/TNA): UAR -> SAR without MAR; the SAA
#    names the provisioned WAF and WWSF.
#  Scenario 3 (X.4, pools): an unleased identity is refused at UAR, MAR and
#    SAR; two concurrent `lease acquire` for the last member: exactly one
#    wins; a leased identity registers by TNA and its SAA names the pool's
#    WWSF/WAF; a digest credential minted with the lease answers the MAR
#    (H(A1) checked with hashlib) and the MAR is refused after the lease
#    release, whose RTR reaches the S-CSCF.
#  Brute force: the 4th MAR within mar_window_s (mar_max_per_window = 3) is
#    refused; `hssctl impi unlock` restores access.
#
# Covered elsewhere end to end, not repeated here: WebRTC IMPI asking AKA
# -> 5006 and MAR after revoke -> 5003 (test_mar.sh); TNA registration of a
# subscription not enabled for web authentication -> 5003 (test_sar.sh);
# lease expiry found by the sweep -> RTR at cx-client (test_outbox.sh, 5);
# UAR of a revoked WebRTC identity (test_uar_lir.sh).
#
# Standalone: BUILD_DIR=... SRC_DIR=... bash tests/integration/test_webrtc_scenarios.sh
#
# SPDX-License-Identifier: BSD-2-Clause
source "$SRC_DIR/tests/integration/lib.sh"

R=localdomain
SERVER=sip:scscf.localdomain
ALICE=alice@$R
ALICE_U=sip:alice@$R
HOME_U=sip:alice-home@$R        # alice's, not bound to the WebRTC IMPI
WEB=alice.webrtc@$R
WEB_U=sip:alice.webrtc@$R
WEBBY=webby@$R
WEBBY_U=sip:webby@$R
LOCKY=locky@$R
LOCKY_U=sip:locky@$R

mar() { # mar IMPI IMPU SCHEME [options]
  local impi=$1 impu=$2 scheme=$3; shift 3
  cx mar --user-name "$impi" --impu "$impu" --server-name "$SERVER" \
     --scheme "$scheme" "$@"
}
sar() { # sar SAT IMPI IMPU [options]
  local sat=$1 impi=$2 impu=$3; shift 3
  cx sar --sat "$sat" --user-name "$impi" --impu "$impu" \
     --server-name "$SERVER" --udaa 0 "$@"
}
uar() { cx uar --visited-network "$R" --user-name "$1" --impu "$2"; }

ha1() { # ha1 ALG USER REALM PASSWORD
  python3 -c 'import hashlib,sys; print(hashlib.new(sys.argv[1], ":".join(sys.argv[2:5]).encode()).hexdigest())' "$@"
}

# digest_ha1s JSON: "MD5-H(A1)|alternate H(A1)" of the first digest item.
digest_ha1s() {
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
def kids(a): return {c["name"]: c for c in a.get("avps", [])}
for a in d.get("avps", []):
    k = kids(a)
    if a["name"] == "SIP-Auth-Data-Item" and "SIP-Digest-Authenticate" in k:
        g = kids(k["SIP-Digest-Authenticate"])
        v = lambda n: g[n]["value"] if n in g else "-"
        print(v("Digest-HA1"), v("Alternate-Digest-HA1"), sep="|")
        break
else:
    print("none")
PY
}

# waf_wwsf JSON: "WAF,...|WWSF,..." of Allowed-WAF-WWSF-Identities.
waf_wwsf() {
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
g = [a for a in d.get("avps", []) if a["code"] == 656]
if not g:
    print("absent")
else:
    kids = g[0].get("avps", [])
    print(",".join(sorted(a["value"] for a in kids if a["code"] == 657)) +
          "|" + ",".join(sorted(a["value"] for a in kids if a["code"] == 658)))
PY
}

# rtr_summary FILE: "User-Name|Public-Identity,..." of the first RTR.
rtr_summary() {
  python3 - "$(first_request "$1" 304)" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
v = lambda c, vend=0: [a.get("value") for a in d["avps"]
                       if a["code"] == c and a["vendor"] == vend]
print("%s|%s" % (",".join(v(1)), ",".join(sorted(v(601, 10415)))))
PY
}

wait_for() { # wait_for FILE PATTERN SECONDS
  local _
  for _ in $(seq 1 $(($3 * 10))); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# listen_sar OUT IMPI IMPU: in the background, cx-client registers IMPI/IMPU
# with SAR(REGISTRATION) and then listens for one HSS-initiated request.
# Sets LISTEN_PID and SAA_RESULT (call it directly, not in $(...)).
listen_sar() {
  local out=$1 impi=$2 impu=$3
  cx sar --sat REGISTRATION --user-name "$impi" --impu "$impu" \
     --server-name "$SERVER" --udaa 0 --dest-host hss.localdomain \
     --listen 25 --listen-count 1 >"$out" 2>&1 &
  LISTEN_PID=$!
  T_PIDS+=("$LISTEN_PID")
  if ! wait_for "$out" '"command"' 15; then
    echo "cx-client got no SAA; its output:" >&2; cat "$out" >&2
  fi
  SAA_RESULT=$(result_of "$(head -n 1 "$out")")
}

reg_state() { # reg_state IMPU: registered / not-registered
  jget "$(hssctl --json reg show "$1")" 'd["state"]'
}

# ---- provisioning --------------------------------------------------------
mkdir -p "$T_DIR/hss"
HSS_DB=$T_DIR/hss/hss.db
HSS_KEY=$T_DIR/hss/master.key
if ! { [ -x "$HSSCTL" ] && "$HSSCTL" --help >/dev/null 2>&1; }; then
  echo "SKIP: hssctl is not available ($HSSCTL)"; exit 0
fi
P=$T_DIR/prov.log
{
  hssctl init
  # scenario 1: regular IMPI (AKA + digest) and a separate WebRTC IMPI
  hssctl sub create alice
  hssctl impi add alice "$ALICE" --schemes=aka,digest --default-scheme=aka
  printf '%s\n%s\n' 465b5ce8b199b49faa5f0a2ee238a6bc \
    cd63cb71954a9f4e48a5994e37a02baf |
    hssctl cred aka "$ALICE" --k-stdin --opc-stdin
  echo regular-pw | hssctl cred digest "$ALICE" --realm=$R --password-stdin
  hssctl impu add alice "$ALICE_U" --impi="$ALICE"
  hssctl impu add alice "$HOME_U" --impi="$ALICE"
  hssctl impu add alice "$WEB_U"
  echo web-pw | hssctl webrtc issue alice "$WEB" --impu="$WEB_U" \
    --impu="$ALICE_U" --realm=$R --password-stdin
  # scenario 2: web credentials (TNA)
  hssctl sub create webby
  hssctl impi add webby "$WEBBY"
  hssctl impu add webby "$WEBBY_U" --impi="$WEBBY"
  hssctl sub web-auth webby on
  hssctl waf add webby waf.partner.example
  hssctl wwsf add webby wwsf.partner.example
  # scenario 3: a pool of two and a pool of one (the race)
  hssctl pool create partner --wwsf=wwsf.pool.example \
    --waf=waf.pool.example --ttl=1h --quarantine=5m
  hssctl pool add-members partner --pattern="sip:web-{01..02}@$R"
  hssctl pool create last --wwsf=wwsf.pool.example --ttl=1h
  hssctl pool add-members last --pattern="sip:last-{1..1}@$R"
  # brute force
  hssctl sub create locky
  hssctl impi add locky "$LOCKY" --schemes=digest --default-scheme=digest
  echo lock-pw | hssctl cred digest "$LOCKY" --realm=$R --password-stdin
  hssctl impu add locky "$LOCKY_U" --impi="$LOCKY"
} >"$P" 2>&1 || { echo "provisioning with hssctl failed:"; cat "$P"; exit 1; }

cat >"$T_DIR/extra.conf" <<'EOF'
mar_max_per_window = 3;
mar_window_s = 60;
lock_s = 900;
outbox_poll_ms = 100;
outbox_timeout_ms = 2000;
EOF
hss_start --hss-extra "$T_DIR/extra.conf"

# ==== scenario 1: own WebRTC credential (X.2) ================================
check "S1 UAR of the WebRTC IMPI -> FIRST_REGISTRATION" er:2001 \
  "$(result_of "$(uar "$WEB" "$WEB_U")")"
a=$(mar "$WEB" "$WEB_U" "SIP Digest")
check "S1 MAR of the WebRTC IMPI -> SUCCESS" rc:2001 "$(result_of "$a")"
check "S1 MAA carries the WebRTC IMPI's own H(A1)" \
  "$(ha1 md5 "$WEB" $R web-pw)|$(ha1 sha256 "$WEB" $R web-pw)" \
  "$(digest_ha1s "$a")"

# the regular IMPI: its own H(A1), never one of the WebRTC password
a=$(mar "$ALICE" "$ALICE_U" "SIP Digest")
check "S1 MAR of the regular IMPI -> its own H(A1)" \
  "rc:2001 $(ha1 md5 "$ALICE" $R regular-pw)" \
  "$(result_of "$a") $(digest_ha1s "$a" | cut -d'|' -f1)"
leak=no
for alg in md5 sha256 sha512_256; do
  for user in "$ALICE" "$WEB"; do
    h=$(ha1 "$alg" "$user" $R web-pw 2>/dev/null) || continue
    if grep -qi -- "$h" <<<"$a"; then leak=yes; fi
  done
done
check "S1 regular IMPI's MAA holds no H(A1) of the WebRTC password" no "$leak"

# the WebRTC IMPI and an IMPU it is not bound to
check "S1 UAR WebRTC IMPI + non-bound IMPU -> IDENTITIES_DONT_MATCH" er:5002 \
  "$(result_of "$(uar "$WEB" "$HOME_U")")"
check "S1 MAR WebRTC IMPI + non-bound IMPU -> IDENTITIES_DONT_MATCH" er:5002 \
  "$(result_of "$(mar "$WEB" "$HOME_U" "SIP Digest")")"
check "S1 SAR WebRTC IMPI + non-bound IMPU -> IDENTITIES_DONT_MATCH" er:5002 \
  "$(result_of "$(sar REGISTRATION "$WEB" "$HOME_U")")"

# both registered at the same S-CSCF; revoke ends only the WebRTC one
check "S1 SAR of the regular IMPI -> SUCCESS" rc:2001 \
  "$(result_of "$(sar REGISTRATION "$ALICE" "$ALICE_U")")"
out1=$T_DIR/s1.out
listen_sar "$out1" "$WEB" "$WEB_U"
check "S1 SAR of the WebRTC IMPI -> SUCCESS" rc:2001 "$SAA_RESULT"
hssctl webrtc revoke "$WEB" --yes >"$T_DIR/revoke.log" 2>&1 ||
  { echo "hssctl webrtc revoke failed:"; cat "$T_DIR/revoke.log"; }
wait_for "$out1" '"code":304,"request":true' 15 || true
check "S1 revoke -> RTR naming only the WebRTC registration" \
  "$WEB|$WEB_U" "$(rtr_summary "$out1")"
wait "$LISTEN_PID" 2>/dev/null || true
check "S1 WebRTC IMPU de-registered" not-registered "$(reg_state "$WEB_U")"
check "S1 regular registration stays" registered "$(reg_state "$ALICE_U")"

# ==== scenario 2: web credentials, TNA (X.3) =================================
check "S2 UAR -> FIRST_REGISTRATION" er:2001 \
  "$(result_of "$(uar "$WEBBY" "$WEBBY_U")")"
a=$(sar REGISTRATION "$WEBBY" "$WEBBY_U")
check "S2 SAR(REGISTRATION) without MAR -> SUCCESS" rc:2001 "$(result_of "$a")"
check "S2 SAA names the provisioned WAF|WWSF" \
  "waf.partner.example|wwsf.partner.example" "$(waf_wwsf "$a")"

# ==== scenario 3: identity pools (X.4) =======================================
W1=web-01@$R; W1_U=sip:web-01@$R
check "S3 UAR unleased -> AUTHORIZATION_REJECTED" rc:5003 \
  "$(result_of "$(uar "$W1" "$W1_U")")"
check "S3 MAR unleased -> AUTHORIZATION_REJECTED" rc:5003 \
  "$(result_of "$(mar "$W1" "$W1_U" "SIP Digest")")"
check "S3 SAR unleased -> AUTHORIZATION_REJECTED" rc:5003 \
  "$(result_of "$(sar REGISTRATION "$W1" "$W1_U")")"

# two WWSF requests racing for the last member: exactly one lease
"$HSSCTL" --db "$HSS_DB" --key "$HSS_KEY" --actor it-test lease acquire \
  last --holder=racer-a >"$T_DIR/race-a.out" 2>&1 &
pa=$!; T_PIDS+=("$pa")
"$HSSCTL" --db "$HSS_DB" --key "$HSS_KEY" --actor it-test lease acquire \
  last --holder=racer-b >"$T_DIR/race-b.out" 2>&1 &
pb=$!; T_PIDS+=("$pb")
ra=0; rb=0
for _ in $(seq 1 300); do
  kill -0 "$pa" 2>/dev/null || kill -0 "$pb" 2>/dev/null || break
  sleep 0.1
done
wait "$pa" || ra=$?
wait "$pb" || rb=$?
check "S3 race: exit codes are one 0 and one 2" "0 2" \
  "$(printf '%s\n' "$ra" "$rb" | sort -n | tr '\n' ' ' | sed 's/ $//')"
check "S3 race: the loser is told the pool is exhausted" 1 \
  "$(cat "$T_DIR/race-a.out" "$T_DIR/race-b.out" | grep -c 'no free member')"
check "S3 race: one active lease" 1 \
  "$(jget "$(hssctl --json pool leases last)" 'len(d["leases"])')"

# a lease with a minted one-time digest credential (S-CSCF without TNA)
j=$(hssctl --json lease acquire partner --holder=user-1 --mint-digest \
      --realm=$R)
L1=$(jget "$j" 'd["lease"]'); M=$(jget "$j" 'd["impi"]')
MU=$(jget "$j" 'd["impu"]'); PW=$(jget "$j" 'd["password"]')
check "S3 minted password: 20 letters/digits" yes \
  "$(jget "$j" '"yes" if len(d["password"]) == 20 and d["password"].isalnum() else "no"')"
check "S3 minted password never stored nor audited" no \
  "$(hssctl --json audit list --limit=100000 >"$T_DIR/audit.json";
     grep -aqF -- "$PW" "$HSS_DB"* "$T_DIR/audit.json" && echo yes || echo no)"
check "S3 UAR leased -> FIRST_REGISTRATION" er:2001 \
  "$(result_of "$(uar "$M" "$MU")")"
a=$(mar "$M" "$MU" "SIP Digest")
check "S3 MAR leased -> the minted H(A1)" \
  "rc:2001 $(ha1 md5 "$M" $R "$PW")|$(ha1 sha256 "$M" $R "$PW")" \
  "$(result_of "$a") $(digest_ha1s "$a")"
out3=$T_DIR/s3.out
listen_sar "$out3" "$M" "$MU"
check "S3 SAR after MAR -> SUCCESS" rc:2001 "$SAA_RESULT"
check "S3 SAA names the pool's WAF|WWSF" "waf.pool.example|wwsf.pool.example" \
  "$(waf_wwsf "$(head -n 1 "$out3")")"
hssctl lease release "$L1" >"$T_DIR/release.log" 2>&1 ||
  { echo "hssctl lease release failed:"; cat "$T_DIR/release.log"; }
wait_for "$out3" '"code":304,"request":true' 15 || true
check "S3 lease release -> RTR at the S-CSCF" "$M|$MU" "$(rtr_summary "$out3")"
wait "$LISTEN_PID" 2>/dev/null || true
check "S3 MAR after the release -> AUTHORIZATION_REJECTED" rc:5003 \
  "$(result_of "$(mar "$M" "$MU" "SIP Digest")")"
check "S3 minted credential gone with the lease" "none []" \
  "$(jget "$(hssctl --json sub show "$M")" 'd["impis"][0]["schemes"] + " " + str(d["impis"][0]["digest_algorithms"])')"

# a lease without credential: registration by TNA only
j=$(hssctl --json lease acquire partner --holder=user-2)
M2=$(jget "$j" 'd["impi"]'); MU2=$(jget "$j" 'd["impu"]')
check "S3 the other member is leased" "$M2" \
  "$([ "$M2" != "$M" ] && echo "$M2")"
a=$(sar REGISTRATION "$M2" "$MU2")
check "S3 TNA SAR leased -> SUCCESS" rc:2001 "$(result_of "$a")"
check "S3 TNA SAA names the pool's WAF|WWSF" \
  "waf.pool.example|wwsf.pool.example" "$(waf_wwsf "$a")"
check "S3 MAR for a lease without credential -> AUTH_SCHEME_NOT_SUPPORTED" \
  er:5006 "$(result_of "$(mar "$M2" "$MU2" "SIP Digest")")"

# ==== brute force: mar_max_per_window = 3 ====================================
codes=
for _ in 1 2 3 4; do
  codes="$codes $(result_of "$(mar "$LOCKY" "$LOCKY_U" "SIP Digest")")"
done
check "lockout: the 4th MAR in the window is refused" \
  " rc:2001 rc:2001 rc:2001 rc:5003" "$codes"
check "lockout: 5th MAR still refused" rc:5003 \
  "$(result_of "$(mar "$LOCKY" "$LOCKY_U" "SIP Digest")")"
hssctl impi unlock "$LOCKY" >/dev/null 2>&1 || echo "hssctl impi unlock failed"
check "lockout: hssctl impi unlock restores MAR" rc:2001 \
  "$(result_of "$(mar "$LOCKY" "$LOCKY_U" "SIP Digest")")"

hss_stop
t_done
