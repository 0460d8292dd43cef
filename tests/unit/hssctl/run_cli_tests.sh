#!/bin/sh
# run_cli_tests.sh - CLI tests of hssctl: the real binary, a temporary
# database, one command group per invocation (ctest runs each group).
#
#   run_cli_tests.sh HSSCTL HELPER GROUP
#
# Checks exit codes (0 ok, 1 usage, 2 data), the one-line messages, the
# JSON output (parsed with python3), the audit log, and that no plaintext
# password or K ever appears in the database files, the output or the audit.
#
# SPDX-License-Identifier: BSD-2-Clause
set -u

H=$1
HELPER=$2
GROUP=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/hssctl-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HSS_DB="$T/var/hss.db" HSS_KEY="$T/var/master.key" USER=tester
cd "$T" || exit 1

PASS=0
FAIL=0
OUT="$T/out"
ERR="$T/err"

fail() {
    FAIL=$((FAIL + 1))
    echo "FAIL [$GROUP] $*"
    echo "  stdout: $(head -c 600 "$OUT")"
    echo "  stderr: $(head -c 600 "$ERR")"
}
pass() { PASS=$((PASS + 1)); }

# run RC ARGS... - hssctl with stdin from /dev/null unless IN is set.
run() {
    want=$1
    shift
    if [ -n "${IN:-}" ]; then
        printf '%s\n' "$IN" | "$H" "$@" >"$OUT" 2>"$ERR"
    else
        "$H" "$@" >"$OUT" 2>"$ERR" </dev/null
    fi
    got=$?
    if [ "$got" -eq "$want" ]; then pass; else fail "hssctl $* -> $got, want $want"; fi
}

# err_has TEXT - stderr holds TEXT and is exactly one line.
err_has() {
    if grep -qF -- "$1" "$ERR" && [ "$(grep -vc '^hssctl: warning' "$ERR")" -eq 1 ]; then
        pass
    else
        fail "stderr lacks '$1' or is not one line"
    fi
}
out_has() { if grep -qF -- "$1" "$OUT"; then pass; else fail "stdout lacks '$1'"; fi; }

# js EXPR - python3 expression over d = the JSON document on stdout.
js() {
    if python3 -c "import json,sys; d=json.load(open('$OUT')); sys.exit(0 if ($1) else 1)" 2>>"$T/py.err"; then
        pass
    else
        fail "JSON check: $1"
    fi
}
# jv EXPR - prints a value from the JSON document on stdout.
jv() { python3 -c "import json; d=json.load(open('$OUT')); print($1)"; }

# no_leak SECRET... - absent from the database files, outputs and audit.
no_leak() {
    "$H" --json audit list --limit 100000 >"$T/audit.json" 2>/dev/null
    for s in "$@"; do
        for f in "$T"/var/hss.db* "$T/audit.json" "$OUT" "$ERR"; do
            [ -f "$f" ] || continue
            if grep -aqiF -- "$s" "$f"; then
                fail "secret '$s' found in $f"
                return
            fi
        done
    done
    pass
}

count() { "$H" --json status | python3 -c "import json,sys; print(json.load(sys.stdin)['counts']['$1'])"; }

setup() { "$H" init >/dev/null 2>&1 || { echo "init failed"; exit 1; }; }

K_HEX=465b5ce8b199b49faa5f0a2ee238a6bc
OPC_HEX=cd63cb71954a9f4e48a5994e37a02baf

# ---------------------------------------------------------------------------
t_help() {
    run 0 help; out_has "webrtc revoke"; out_has "Exit status"
    run 0 help sub create; out_has "usage: hssctl [global options] sub create NAME"
    run 0 sub create --help; out_has "sub create"
    run 0 webrtc issue --help; out_has "--password-stdin"
    for c in init migrate status "sub list" "impi add" "impu add" "cred aka" \
        "cred digest" "webrtc rotate" "pool add-members" "lease acquire" \
        "reg deregister" "outbox list" "audit list" import export; do
        # shellcheck disable=SC2086
        run 0 help $c
    done
    run 1 frobnicate; err_has "unknown command 'frobnicate'"
    run 1 help frobnicate; err_has "unknown command"
    run 1 sub create; err_has "missing argument; usage: hssctl sub create NAME"
    run 1 sub create a b; err_has "unexpected argument 'b'"
    run 1 sub list --bogus; err_has "has no option --bogus"
    run 1 --frob status; err_has "unknown option"
    run 1; 
}

t_init() {
    run 0 init; out_has "key_id"
    [ "$(stat -c %a var/master.key)" = 600 ] && pass || fail "key not 0600"
    [ "$(stat -c %a var/hss.db)" = 600 ] && pass || fail "db not 0600"
    [ "$(stat -c %s var/master.key)" = 32 ] && pass || fail "key not 32 bytes"
    run 2 init; err_has "already exists"
    run 0 --json status; js 'd["schema_version"] >= 1 and d["counts"]["subscriptions"] == 0'
    js 'd["database"].endswith("hss.db") and len(d["key_id"]) > 0'
    run 0 migrate; out_has "schema_version"
    run 2 --db "$T/nope.db" status; err_has "hssctl init"
    run 2 --key "$T/nokey" status; err_has "not found"
    head -c 32 /dev/urandom >"$T/other.key"; chmod 600 "$T/other.key"
    run 2 --key "$T/other.key" status; err_has "does not open"
    HSS_DB="$T/env.db" HSS_KEY="$T/env.key" "$H" init >"$OUT" 2>"$ERR" \
        && [ -f "$T/env.db" ] && pass || fail "HSS_DB/HSS_KEY not used"
}

t_sub() {
    setup
    run 0 sub create alice; out_has "subscription: alice"
    run 2 sub create alice; err_has "already exists"
    run 0 --json sub create bob; js 'd["subscription"] == "bob" and d["id"] > 0'
    run 2 sub show nobody; err_has "subscription 'nobody' not found; list with 'hssctl sub list'"
    run 0 --json sub show alice; js 'd["subscription"] == "alice" and d["impis"] == [] and d["web_auth"] is False'
    for n in 01 02 03 04 05; do "$H" sub create "p$n" >/dev/null; done
    run 0 --json sub list; js 'len(d["subscriptions"]) == 7'
    run 0 --json sub list --prefix p --limit 2 --offset 1
    js '[s["subscription"] for s in d["subscriptions"]] == ["p02", "p03"]'
    run 1 sub list --limit x; err_has "not a number"
    run 0 sub web-auth alice on
    run 0 --json sub list --web-auth on; js '[s["subscription"] for s in d["subscriptions"]] == ["alice"]'
    run 1 sub web-auth alice maybe; err_has "on or off"
    run 0 sub charging alice --pecf pecf.example.net --pccf ccf.example.net
    run 1 sub charging alice; err_has "at least one"
    run 0 sub visited add alice visited.example.org
    run 0 sub visited remove alice visited.example.org
    run 0 sub roaming-any alice on
    run 0 sub capability add alice --mandatory 7
    run 0 sub capability add alice --optional 9
    run 1 sub capability add alice --mandatory 1 --optional 2; err_has "exactly one"
    run 0 sub scscf-pref add alice sip:scscf1.ims.example.net
    run 1 sub scscf-pref add alice scscf1; err_has "SIP URI"
    run 0 default scscf-pref add sip:scscf0.ims.example.net
    run 1 default scscf-pref add scscf0; err_has "SIP URI"
    run 0 default capability add --optional 3
    run 1 default capability add; err_has "exactly one"
    run 2 default capability add --optional 3; err_has "already set"
    run 0 --json audit list --limit 0
    js 'any(e["action"] == "default capability add" and e["object"] == "(defaults)" for e in d["audit"])'
    run 0 --json sub show alice
    js 'd["roaming_any"] and d["web_auth"] and d["charging"]["pecf"] == "pecf.example.net"'
    js '"7" in d["capabilities"]["mandatory"] and "9" in d["capabilities"]["optional"]'
    js 'd["capabilities"]["preferred_scscf"] == ["sip:scscf1.ims.example.net"]'
    run 1 sub delete p01; err_has "add --yes"
    run 0 --yes sub delete p01
    run 2 sub show p01; err_has "not found"
    run 2 --yes sub delete p01; err_has "not found"
}

t_ident() {
    setup
    "$H" sub create alice >/dev/null; "$H" sub create bob >/dev/null
    run 0 impi add alice alice@ims.example.net --schemes aka,digest --default-scheme aka
    run 2 impi add alice alice@ims.example.net; err_has "already exists"
    run 2 impi add nobody x@y; err_has "not found"
    run 1 impi add alice a2@x --kind weird; err_has "regular, webrtc or pool"
    run 1 impi add alice a2@x --schemes aka --default-scheme digest; err_has "not in --schemes"
    run 0 impu add alice sip:alice@ims.example.net --impi alice@ims.example.net --display-name "Alice A"
    run 0 impu add alice tel:+15550100 --irs-with sip:alice@ims.example.net
    run 1 impu add alice alice-no-scheme; err_has "URI"
    run 2 impu add alice sip:alice@ims.example.net; err_has "already exists"
    "$H" impi add bob bob@ims.example.net >/dev/null
    "$H" impu add bob sip:bob@ims.example.net >/dev/null
    run 2 assoc add bob@ims.example.net sip:alice@ims.example.net; err_has "different subscriptions"
    run 0 assoc add alice@ims.example.net tel:+15550100
    run 2 assoc add alice@ims.example.net tel:+15550100; err_has "already associated"
    run 0 --json sub show alice
    js 'len(d["impus"]) == 2 and d["impus"][0]["irs"] == d["impus"][1]["irs"]'
    js 'd["impis"][0]["schemes"] == "aka,digest" and len(d["impis"][0]["impus"]) == 2'
    run 0 assoc remove alice@ims.example.net tel:+15550100
    run 2 assoc remove alice@ims.example.net tel:+15550100; err_has "not associated"
    run 0 --json impu bar tel:+15550100; js 'd["ppr_queued"] == 0' # not registered
    run 0 --json sub show alice; js '[u["barred"] for u in d["impus"] if u["impu"] == "tel:+15550100"] == [True]'
    run 0 impu unbar tel:+15550100
    cat >"$T/ifc.xml" <<'XML'
<InitialFilterCriteria><Priority>0</Priority><TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF><SPT><Method>INVITE</Method></SPT></TriggerPoint><ApplicationServer><ServerName>sip:as.example.net</ServerName></ApplicationServer></InitialFilterCriteria>
<InitialFilterCriteria><Priority>1</Priority><ApplicationServer><ServerName>sip:as2.example.net</ServerName></ApplicationServer></InitialFilterCriteria>
XML
    printf '<InitialFilterCriteria><Priority>0</Priority>\n<Broken></InitialFilterCriteria>\n' >"$T/bad.xml"
    printf '<Other/>\n' >"$T/other.xml"
    run 0 profile add alice gold --ifc-file "$T/ifc.xml"
    run 2 profile add alice bad --ifc-file "$T/bad.xml"; err_has "not well-formed XML"
    run 2 profile add alice other --ifc-file "$T/other.xml"; err_has "only <InitialFilterCriteria>"
    run 2 profile add alice x --ifc-file "$T/missing.xml"; err_has "cannot read"
    run 1 profile add alice x; err_has "--ifc-file"
    run 0 impu set-profile sip:alice@ims.example.net gold
    run 2 impu set-profile sip:alice@ims.example.net silver; err_has "profile 'silver' not found"
    run 0 --json sub show alice; js '"gold" in [p["name"] for p in d["profiles"]]'
    run 0 impi unlock alice@ims.example.net
    run 2 impi unlock nobody@x; err_has "impi 'nobody@x' not found"
    run 1 impu delete tel:+15550100; err_has "add --yes"
    run 0 --yes impu delete tel:+15550100
    run 0 --yes impi delete bob@ims.example.net
    run 2 reg show bob@ims.example.net; err_has "not found"
}

t_cred() {
    setup
    "$H" sub create alice >/dev/null
    "$H" impi add alice alice@ims.example.net --schemes aka,digest >/dev/null
    echo "$K_HEX" >"$T/k"; echo "$OPC_HEX" >"$T/opc"; chmod 600 "$T/k" "$T/opc"
    run 0 cred aka alice@ims.example.net --k-file "$T/k" --opc-file "$T/opc" --amf 8000 --sqn 42
    run 0 --json sub show alice; js 'd["impis"][0]["aka_credentials"] is True'
    IN="$K_HEX
$OPC_HEX" run 0 cred aka alice@ims.example.net --k-stdin --opc-stdin
    IN="$K_HEX
cdc202d5123e20f62b6d676ac72cb318" run 0 cred aka alice@ims.example.net --k-stdin --op-stdin
    echo 1234 >"$T/shortk"
    run 2 cred aka alice@ims.example.net --k-file "$T/shortk" --opc-file "$T/opc"; err_has "32 hex digits"
    run 1 cred aka alice@ims.example.net --k-file "$T/k"; err_has "exactly one of --opc-file"
    run 1 cred aka alice@ims.example.net --k-file "$T/k" --opc-file "$T/opc" --amf 80; err_has "4 hex digits"
    run 2 cred aka nobody@x --k-file "$T/k" --opc-file "$T/opc"; err_has "not found"
    IN='Pa55word-Alice' run 0 --json cred digest alice@ims.example.net --realm ims.example.net --password-stdin
    js '"password" not in d and d["algorithms"] == ["md5", "sha256", "sha512-256"]'
    # A first password queues nothing; a change queues one PPR without a
    # destination (the HSS finds the S-CSCF, TS 29.228 §6.5.2.4).
    run 0 --json outbox list; js 'd["outbox"] == []'
    for a in md5 sha256 sha512-256; do
        want=$(python3 -c "import hashlib; h=hashlib.new('$a'.replace('sha512-256','sha512_256')); h.update(b'alice@ims.example.net:ims.example.net:Pa55word-Alice'); print(h.hexdigest())")
        got=$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" alice@ims.example.net ims.example.net $a)
        [ "$want" = "$got" ] && pass || fail "H(A1) $a: $got != $want"
    done
    printf 'FilePw-9\n' >"$T/pw"; chmod 600 "$T/pw"
    run 0 cred digest alice@ims.example.net --realm other.example.net --algorithms sha256 --password-file "$T/pw"
    run 0 --json outbox list
    js '[(o["kind"], o["user_name"], o["ppr_what"], o["dest_host"]) for o in d["outbox"]] == [("PPR", "alice@ims.example.net", ["auth-data"], "")]'
    run 0 --json cred digest alice@ims.example.net --realm gen.example.net --generate
    js 'len(d["password"]) == 20 and d["password"].isalnum()'
    GEN=$(jv 'd["password"]')
    run 1 cred digest alice@ims.example.net --realm r; err_has "no password source"
    run 1 cred digest alice@ims.example.net --password-stdin; err_has "--realm"
    run 1 cred digest alice@ims.example.net --realm r --generate --password-stdin; err_has "only one"
    run 1 cred digest alice@ims.example.net --realm r --algorithms sha1 --generate; err_has "unknown digest algorithm"
    no_leak "$K_HEX" "$OPC_HEX" Pa55word-Alice FilePw-9 "$GEN"
}

t_secrets() {
    setup
    "$H" sub create alice >/dev/null
    "$H" impi add alice alice@x --schemes aka,digest >/dev/null
    run 1 cred digest alice@x --realm r --password hunter2; err_has "refusing --password"
    err_has "--password-stdin"
    run 1 cred digest alice@x --realm r --password=hunter2; err_has "refusing --password"
    run 1 cred aka alice@x --k "$K_HEX" --opc-file x; err_has "refusing --k"
    run 1 cred aka alice@x --k-file x --opc "$OPC_HEX"; err_has "refusing --opc"
    run 1 cred aka alice@x --k-file x --op 00; err_has "refusing --op"
    run 1 webrtc issue alice w@x --impu sip:a@x --realm r --password hunter2; err_has "refusing --password"
    run 1 cred digest alice@x --realm r --ha1 abc; err_has "refusing --ha1"
    if grep -qF hunter2 "$ERR"; then fail "secret echoed"; else pass; fi
    echo "$K_HEX" >"$T/k"; chmod 644 "$T/k"; echo "$OPC_HEX" >"$T/opc"
    run 0 cred aka alice@x --k-file "$T/k" --opc-file "$T/opc"
    if grep -qF "readable by other users" "$ERR"; then pass; else fail "no warning for a 0644 key file"; fi
    : >"$T/empty"
    run 2 cred digest alice@x --realm r --password-file "$T/empty"; err_has "is empty"
    no_leak hunter2 "$K_HEX" "$OPC_HEX"
}

t_webrtc() {
    setup
    "$H" sub create alice >/dev/null
    "$H" impi add alice alice@ims.example.net --schemes aka >/dev/null
    "$H" impu add alice sip:alice@ims.example.net --impi alice@ims.example.net >/dev/null
    "$H" impu add alice sip:alice-web@ims.example.net --impi alice@ims.example.net >/dev/null
    "$H" sub create bob >/dev/null
    "$H" impu add bob sip:bob@ims.example.net >/dev/null
    run 0 --json webrtc issue alice alice-wic@ims.example.net --impu sip:alice@ims.example.net \
        --impu sip:alice-web@ims.example.net --realm ims.example.net --generate --expires 30d
    js 'len(d["password"]) == 20 and d["impi"] == "alice-wic@ims.example.net"'
    PW1=$(jv 'd["password"]')
    want=$(printf 'alice-wic@ims.example.net:ims.example.net:%s' "$PW1" | sha256sum | cut -d' ' -f1)
    got=$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" alice-wic@ims.example.net ims.example.net sha256)
    [ "$want" = "$got" ] && pass || fail "webrtc H(A1) mismatch"
    run 0 --json sub show alice
    js '[(i["kind"], i["schemes"], len(i["impus"])) for i in d["impis"] if i["impi"] == "alice-wic@ims.example.net"] == [("webrtc", "digest", 2)]'
    js '[i["valid_until"] > 0 for i in d["impis"] if i["kind"] == "webrtc"] == [True]'
    run 2 webrtc issue alice w2@x --impu sip:bob@ims.example.net --realm r --generate; err_has "not in subscription 'alice'"
    run 0 --json sub show alice; js 'len(d["impis"]) == 2'
    run 2 webrtc issue alice alice-wic@ims.example.net --impu sip:alice@ims.example.net --realm r --generate; err_has "already exists"
    run 1 webrtc issue alice w3@x --realm r --generate; err_has "--impu"
    # Issued: no PPR. Rotated while not registered: one PPR without a
    # destination, which the HSS sends to the S-CSCF of an authentication in
    # flight or drops (TS 29.228 §6.5.2.4).
    run 0 --json outbox list; js 'd["outbox"] == []'
    IN='Rotated-Pw-1' run 0 webrtc rotate alice-wic@ims.example.net --password-stdin
    run 0 --json outbox list
    js '[(o["kind"], o["ppr_what"], o["dest_host"], o["dest_realm"]) for o in d["outbox"]] == [("PPR", ["auth-data"], "", "")]'
    # Register the WIC on one IMPU and the regular IMPI on the other.
    "$HELPER" register "$HSS_DB" "$HSS_KEY" alice-wic@ims.example.net sip:alice-web@ims.example.net \
        sip:scscf1.ims.example.net scscf1.ims.example.net ims.example.net || fail "helper register"
    "$HELPER" register "$HSS_DB" "$HSS_KEY" alice@ims.example.net sip:alice@ims.example.net \
        sip:scscf1.ims.example.net scscf1.ims.example.net ims.example.net || fail "helper register"
    run 0 --json webrtc rotate alice-wic@ims.example.net --generate
    PW2=$(jv 'd["password"]')
    run 0 --json outbox list --state pending
    js '[(o["kind"], o["user_name"], o["ppr_what"], o["dest_host"]) for o in d["outbox"]] == [("PPR", "alice-wic@ims.example.net", ["auth-data"], "scscf1.ims.example.net"), ("PPR", "alice-wic@ims.example.net", ["auth-data"], "")]'
    want=$(printf 'alice-wic@ims.example.net:ims.example.net:%s' "$PW2" | md5sum | cut -d' ' -f1)
    got=$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" alice-wic@ims.example.net ims.example.net md5)
    [ "$want" = "$got" ] && pass || fail "rotated H(A1) mismatch"
    # WAF/WWSF change of a registered subscription queues a PPR.
    run 0 --json waf add alice waf.example.com; js 'd["ppr_queued"] == 2'
    run 0 wwsf add alice wwsf.example.com
    run 2 waf add alice waf.example.com; err_has "already allowed"
    run 0 --json sub show alice; js 'd["waf"] == ["waf.example.com"] and d["wwsf"] == ["wwsf.example.com"]'
    run 0 --json outbox list; js 'sum(1 for o in d["outbox"] if o["ppr_what"] == ["waf-wwsf"]) == 4'
    run 0 wwsf remove alice wwsf.example.com
    run 2 wwsf remove alice wwsf.example.com; err_has "is not allowed"
    # So does a change of its User-Data (barring, a profile) or of its
    # charging addresses (TS 29.228 §6.5.2.1, §6.5.2.2): one per IMPI that
    # has an IMPU registered.
    run 0 --json impu bar sip:alice@ims.example.net; js 'd["ppr_queued"] == 2'
    run 0 --json outbox list
    js 'sorted(o["user_name"] for o in d["outbox"] if o["ppr_what"] == ["user-data"]) == ["alice-wic@ims.example.net", "alice@ims.example.net"]'
    js '{o["dest_host"] for o in d["outbox"] if o["ppr_what"] == ["user-data"]} == {"scscf1.ims.example.net"}'
    run 0 --json impu unbar sip:alice@ims.example.net; js 'd["ppr_queued"] == 2'
    run 0 --json sub charging alice --pecf pecf2.example.net; js 'd["ppr_queued"] == 2'
    # What a registration runs through is not deleted from under it.
    run 2 --yes impi delete alice@ims.example.net; err_has "has registered IMPUs"
    run 2 assoc remove alice@ims.example.net sip:alice@ims.example.net; err_has "is registered through"
    run 0 --json sub show alice; js 'len(d["impis"]) == 2'
    run 0 --json outbox list; js 'sum(1 for o in d["outbox"] if o["ppr_what"] == ["charging"]) == 2'
    # Revoke: exactly the WIC's registrations go, in one RTR.
    run 0 --json webrtc revoke alice-wic@ims.example.net; js 'd["deregistered_impus"] == 1'
    run 0 --json outbox list --state pending
    js '[(o["user_name"], o["impus"], o["dest_host"], o["dest_realm"], o["reason_code"]) for o in d["outbox"] if o["kind"] == "RTR"] == [("alice-wic@ims.example.net", ["sip:alice-web@ims.example.net"], "scscf1.ims.example.net", "ims.example.net", 0)]'
    run 0 --json reg show sip:alice@ims.example.net
    js 'd["state"] == "registered" and d["scscf"] == "sip:scscf1.ims.example.net"'
    run 0 --json reg show sip:alice-web@ims.example.net; js 'd["state"] == "not-registered"'
    run 0 --json reg show alice-wic@ims.example.net; js 'd["revoked"] is True'
    run 2 webrtc rotate alice-wic@ims.example.net --generate; err_has "revoked"
    run 2 webrtc revoke alice@ims.example.net; err_has "not webrtc"
    run 0 --json webrtc expire alice-wic@ims.example.net never; js 'd["valid_until"] == 0'
    run 0 webrtc expire alice-wic@ims.example.net 2h
    run 1 webrtc expire alice-wic@ims.example.net soon; err_has "not a duration"
    run 0 sub web-auth alice on
    no_leak "$PW1" "$PW2" Rotated-Pw-1
}

t_pool() {
    setup
    run 0 --json pool create webpool --wwsf wwsf.example.com --waf waf.example.com --ttl 1h --quarantine 5m --release-on-dereg
    js 'd["lease_ttl_s"] == 3600 and d["quarantine_s"] == 300 and d["release_on_dereg"]'
    run 2 pool create webpool --wwsf w; err_has "already exists"
    run 1 pool create p2; err_has "--wwsf"
    run 0 --json pool add-members webpool --pattern 'sip:web-{001..010}@ims.example.net'
    js 'd["added"] == 10'
    [ "$(count subscriptions)" = 10 ] && pass || fail "10 member subscriptions"
    run 2 pool add-members webpool --pattern 'sip:web-{010..011}@ims.example.net'; err_has "already exists"
    [ "$(count subscriptions)" = 10 ] && pass || fail "failed add-members wrote rows"
    run 1 pool add-members webpool --pattern 'web-1'; err_has "--pattern"
    run 1 pool add-members webpool --pattern 'sip:w-{5..1}@x'; err_has "increasing"
    run 2 pool add-members nopool --pattern 'sip:w-{1..2}@x'; err_has "pool 'nopool' not found"
    run 0 --json pool list; js '[p["pool"] for p in d["pools"]] == ["webpool"]'
    run 0 --json pool members webpool
    js 'd["count"] == 10 and d["members"][0]["impi"] == "web-001@ims.example.net" and d["members"][0]["impu"] == "sip:web-001@ims.example.net"'
    run 0 --json sub show web-001@ims.example.net
    js 'd["pool"] == "webpool" and d["impis"][0]["kind"] == "pool"'
    run 0 --json lease acquire webpool --holder user-1 --ttl 10m
    js 'd["holder"] == "user-1" and d["impu"].startswith("sip:web-")'
    L1=$(jv 'd["lease"]')
    run 0 --json pool leases webpool; js 'len(d["leases"]) == 1'
    run 0 lease renew "$L1" --ttl 20m
    run 0 lease release "$L1"
    run 2 lease release "$L1"
    run 2 lease renew 99999; err_has "lease 99999 "
    run 1 lease release abc; err_has "not a number"
    run 0 --json pool leases webpool; js 'len(d["leases"]) == 0'
    run 0 --json pool leases webpool --all; js 'len(d["leases"]) == 1'
    run 1 lease acquire webpool; err_has "--holder"
    # one-time digest credential minted with the lease (X.4 without TNA)
    run 1 lease acquire webpool --holder m1 --realm ims.example.net; err_has "--mint-digest"
    run 1 lease acquire webpool --holder m1 --mint-digest; err_has "needs --realm"
    run 0 --json lease acquire webpool --holder m1 --mint-digest --realm ims.example.net
    js 'len(d["password"]) == 20 and d["password"].isalnum() and d["realm"] == "ims.example.net" and d["algorithms"] == ["md5", "sha256", "sha512-256"]'
    MI=$(jv 'd["impi"]'); MPW=$(jv 'd["password"]'); ML=$(jv 'd["lease"]')
    want=$(python3 -c 'import hashlib,sys; print(hashlib.md5(":".join(sys.argv[1:]).encode()).hexdigest())' "$MI" ims.example.net "$MPW")
    [ "$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" "$MI" ims.example.net md5)" = "$want" ] && pass || fail "minted MD5 H(A1)"
    want=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(":".join(sys.argv[1:]).encode()).hexdigest())' "$MI" ims.example.net "$MPW")
    [ "$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" "$MI" ims.example.net sha256)" = "$want" ] && pass || fail "minted SHA-256 H(A1)"
    run 0 --json sub show "$MI"; js 'd["impis"][0]["schemes"] == "digest" and d["impis"][0]["default_scheme"] == "digest"'
    run 0 --json audit list --limit 100000; js 'any(e["action"] == "lease acquire" and "minted-digest" in e["detail"] for e in d["audit"])'
    no_leak "$MPW"
    run 0 lease release "$ML"
    "$HELPER" ha1 "$HSS_DB" "$HSS_KEY" "$MI" ims.example.net md5 >/dev/null 2>&1 && fail "minted H(A1) outlived the lease" || pass
    run 0 --json sub show "$MI"; js 'd["impis"][0]["schemes"] == "none" and d["impis"][0]["digest_algorithms"] == []'
    run 0 --json lease acquire webpool --holder m2; js '"password" not in d'
    L2=$(jv 'd["lease"]'); run 0 lease release "$L2"
    i=0; while [ $i -lt 9 ]; do "$H" lease acquire webpool --holder "h$i" >/dev/null 2>&1; i=$((i + 1)); done
    run 2 lease acquire webpool --holder late; err_has "no free member"
}

t_reg() {
    setup
    "$H" sub create alice >/dev/null
    "$H" impi add alice alice@x --schemes digest >/dev/null
    "$H" impu add alice sip:alice@x --impi alice@x >/dev/null
    "$H" impu add alice tel:+100 --irs-with sip:alice@x --impi alice@x >/dev/null
    run 0 --json reg show sip:alice@x; js 'd["state"] == "not-registered" and d["impis"][0]["registered"] is False'
    run 0 --json reg show alice@x; js 'd["locked"] is False and len(d["impus"]) == 2'
    run 2 reg show sip:nobody@x; err_has "not found"
    "$HELPER" register "$HSS_DB" "$HSS_KEY" alice@x sip:alice@x sip:s1.x s1.x x || fail "register"
    "$HELPER" register "$HSS_DB" "$HSS_KEY" alice@x tel:+100 sip:s1.x s1.x x || fail "register"
    run 0 --json reg show sip:alice@x; js 'd["state"] == "registered" and d["scscf_host"] == "s1.x"'
    run 2 --yes impu delete sip:alice@x; err_has "is registered"
    run 2 --yes sub delete alice; err_has "de-register first"
    run 1 reg deregister sip:alice@x --reason whatever; err_has "--reason"
    run 0 --json reg deregister sip:alice@x; js 'd["deregistered_impus"] == 2'
    run 0 --json outbox list --state pending
    js '[(o["kind"], o["user_name"], sorted(o["impus"]), o["dest_host"]) for o in d["outbox"]] == [("RTR", "alice@x", ["sip:alice@x", "tel:+100"], "s1.x")]'
    run 0 --json reg show sip:alice@x; js 'd["state"] == "not-registered" and d["scscf"] == ""'
    run 0 --json reg deregister alice@x; js 'd["deregistered_impus"] == 0'
    run 0 --json outbox list --state done; js 'd["outbox"] == []'
    run 1 outbox list --state nope; err_has "--state"
    run 2 reg deregister nobody@x; err_has "not found"
    run 0 outbox list; out_has "kind: RTR"
}

t_import() {
    setup
    cat >"$T/good.csv" <<EOF2
subscription,impi,impu,realm,password,k,opc,amf,sqn
u1,u1@ims.x,sip:u1@ims.x,ims.x,Imp0rt-Pw-1,$K_HEX,$OPC_HEX,8000,7
u1,u1@ims.x,tel:+1001,,,,,,
u2,u2@ims.x,sip:u2@ims.x,ims.x,"Imp0rt,Pw""2",,,,
u3,,sip:u3@ims.x,,,,,,
EOF2
    run 0 --json import "$T/good.csv"; js 'd["rows"] == 4 and d["subscriptions"] == 3 and d["impus"] == 4'
    want=$(printf 'u2@ims.x:ims.x:Imp0rt,Pw"2' | sha256sum | cut -d' ' -f1)
    got=$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" u2@ims.x ims.x sha256)
    [ "$want" = "$got" ] && pass || fail "quoted password H(A1)"
    before=$(count subscriptions); bi=$(count impis)
    cat >"$T/bad.csv" <<EOF2
subscription,impi,impu,realm,password,k,opc,amf,sqn
n1,n1@ims.x,sip:n1@ims.x,ims.x,Bad-Pw-1,,,,
n2,n2@ims.x,sip:n2@ims.x,,,$K_HEX,zz,,
n3,n3@ims.x,sip:n3@ims.x,,,,,,
EOF2
    run 2 import "$T/bad.csv"; err_has "bad.csv:3: opc must be 32 hex digits; nothing was imported"
    [ "$(count subscriptions)" = "$before" ] && [ "$(count impis)" = "$bi" ] && pass || fail "bad import wrote rows"
    printf 'subscription,impi,impu\nd1,d1@x,sip:d1@x\nu1,u9@x,sip:u9@x\n' >"$T/dup.csv"
    run 2 import "$T/dup.csv"; err_has "dup.csv:3: subscription 'u1' already exists"
    [ "$(count subscriptions)" = "$before" ] && pass || fail "dup import wrote rows"
    printf 'subscription,impi,impu\ne1,e1@x,sip:e1@x,extra\n' >"$T/cols.csv"
    run 2 import "$T/cols.csv"; err_has "cols.csv:2: wrong number of fields"
    printf 'subscription,nonsense\n' >"$T/hdr.csv"
    run 2 import "$T/hdr.csv"; err_has "hdr.csv:1: unknown or repeated column 'nonsense'"
    printf 'subscription,impi,impu,realm,password\nq1,q1@x,sip:q1@x,,Pw-No-Realm\n' >"$T/norealm.csv"
    run 2 import "$T/norealm.csv"; err_has "norealm.csv:2: password without realm"
    run 1 import "$T/file.txt"; err_has "FILE.csv or FILE.json"
    run 2 import "$T/missing.csv"; err_has "cannot read"
    cat >"$T/good.json" <<'EOF2'
[
  {"subscription": "j1", "impi": "j1@x", "impu": "sip:j1@x", "realm": "x", "password": "Js\u00f6n-Pw"},
  {"subscription": "j2", "impi": "j2@x", "impu": "sip:j2@x", "sqn": 5, "amf": null}
]
EOF2
    run 0 --json import "$T/good.json"; js 'd["subscriptions"] == 2'
    want=$(printf 'j1@x:x:Js\303\266n-Pw' | md5sum | cut -d' ' -f1)
    got=$("$HELPER" ha1 "$HSS_DB" "$HSS_KEY" j1@x x md5)
    [ "$want" = "$got" ] && pass || fail "JSON password H(A1)"
    before=$(count subscriptions)
    printf '[\n{"subscription": "k1", "impi": "k1@x", "impu": "sip:k1@x"},\n{"subscription": "k2", "impi": "k2@x", "bogus": "1"}\n]\n' >"$T/bad.json"
    run 2 import "$T/bad.json"; err_has "bad.json:3: unknown key 'bogus'"
    [ "$(count subscriptions)" = "$before" ] && pass || fail "bad JSON import wrote rows"
    run 0 export; out_has "subscription,impi,impu,realm,password,k,opc,amf,sqn"
    out_has "u1,u1@ims.x,sip:u1@ims.x,ims.x,,,,8000,7"
    out_has "u3,,sip:u3@ims.x,,,,,,"
    run 0 --json export; js 'len(d) == 6 and all("password" not in r and "k" not in r for r in d)'
    run 0 export --output "$T/exp.csv"
    [ "$(stat -c %a "$T/exp.csv")" = 600 ] && pass || fail "export file not 0600"
    # Round trip into a fresh database.
    mkdir -p "$T/rt"
    HSS_DB="$T/rt/hss.db" HSS_KEY="$T/rt/k" "$H" init >/dev/null 2>&1
    HSS_DB="$T/rt/hss.db" HSS_KEY="$T/rt/k" "$H" --json import "$T/exp.csv" >"$OUT" 2>"$ERR" && pass || fail "re-import of the export"
    js 'd["subscriptions"] == 5'
    run 1 export --with-sealed; err_has "not supported"
    no_leak "$K_HEX" "$OPC_HEX" Imp0rt-Pw-1 Bad-Pw-1 Pw-No-Realm
}

t_audit() {
    setup
    "$H" --actor alice-admin sub create s1 >/dev/null
    "$H" impi add s1 s1@x --schemes digest >/dev/null
    IN='Audit-Pw-1' run 0 cred digest s1@x --realm x --password-stdin
    run 2 sub create s1
    run 0 --json audit list
    js '[(e["actor"], e["action"], e["object"]) for e in d["audit"]][:2] == [("tester", "init", d["audit"][0]["object"]), ("alice-admin", "sub create", "s1")] or any(e["actor"] == "alice-admin" and e["action"] == "sub create" and e["object"] == "s1" for e in d["audit"])'
    js 'any(e["action"] == "cred digest" and e["object"] == "s1@x" for e in d["audit"])'
    js 'sum(1 for e in d["audit"] if e["action"] == "sub create") == 1'
    FIRST=$(jv 'd["audit"][0]["id"]')
    run 0 --json audit list --since "$FIRST" --limit 1; js 'len(d["audit"]) == 1 and d["audit"][0]["id"] > '"$FIRST"
    run 1 audit list --limit -1; err_has "not a number"
    run 0 audit list; out_has "actor: tester"
    run 1 --actor "" status; err_has "--actor"
    no_leak Audit-Pw-1
}

case "$GROUP" in
help | init | sub | ident | cred | secrets | webrtc | pool | reg | import | audit)
    "t_$GROUP" ;;
*) echo "unknown group $GROUP"; exit 1 ;;
esac
echo "[$GROUP] $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
