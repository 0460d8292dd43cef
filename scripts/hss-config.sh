#!/usr/bin/env bash
# hss-config.sh - write a working freeDiameterd + hss_cx configuration into
# a directory: throwaway TLS credentials (freeDiameter 1.2.1 requires TLS_Cred
# even when every peer uses plain TCP), acl_wl admission for the realm's
# peers, freeDiameter.conf loading dict_cx.fdx and hss_cx.fdx, hss_cx.conf.
# Used by run-hss.sh and by the integration tests, so both run the same thing.
#
# usage: hss-config.sh --dir DIR --fdx FDX_DIR [--port 3868] [--identity
#        hss.localdomain] [--realm localdomain] [--db PATH] [--key PATH]
#        [--threads 4] [--hss-extra FILE] [--listen ADDR]
set -euo pipefail

dir= fdx= port=3868 identity=hss.localdomain realm=localdomain db= key=
threads=4 extra= listen=
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --fdx) fdx=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --identity) identity=$2; shift 2 ;;
    --realm) realm=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --hss-extra) extra=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    *) echo "hss-config.sh: unknown option '$1'" >&2; exit 1 ;;
  esac
done
if [ -z "$dir" ] || [ -z "$fdx" ]; then
  echo "hss-config.sh: --dir and --fdx are required" >&2; exit 1
fi
case "$port" in ''|*[!0-9]*) echo "hss-config.sh: bad --port '$port'" >&2; exit 1 ;; esac
fdext=/usr/lib/freeDiameter
[ -f "$fdext/acl_wl.fdx" ] || fdext=/usr/lib/x86_64-linux-gnu/freeDiameter
mkdir -p "$dir"
chmod 0700 "$dir"
dir=$(cd "$dir" && pwd)
db=${db:-$dir/hss.db}
key=${key:-$dir/master.key}

if [ ! -f "$dir/tls.key" ]; then
  (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
     -subj "/CN=$identity" -keyout "$dir/tls.key" -out "$dir/tls.crt" \
     >/dev/null 2>&1)
fi

cat > "$dir/acl_wl.conf" <<ACL
# Peers admitted without TLS (plain TCP on a trusted network or IPsec):
# every Diameter node of the realm. Use TLS and a narrower list in production.
ALLOW_IPSEC *.$realm
ACL

cat > "$dir/freeDiameter.conf" <<CONF
# freeDiameterd configuration of webrtc-hss (written by hss-config.sh).
Identity = "$identity";
Realm = "$realm";
Port = $port;
SecPort = 0;                 # no TLS listener; peers use plain TCP
No_SCTP;
AppServThreads = $threads;
TLS_Cred = "$dir/tls.crt", "$dir/tls.key";
TLS_CA = "$dir/tls.crt";
$( [ -n "$listen" ] && echo "ListenOn = \"$listen\";" )
LoadExtension = "$fdext/acl_wl.fdx" : "$dir/acl_wl.conf";
LoadExtension = "$fdx/dict_cx.fdx";
LoadExtension = "$fdx/hss_cx.fdx" : "$dir/hss_cx.conf";
CONF

cat > "$dir/hss_cx.conf" <<HSS
# hss_cx configuration (every key: etc/hss_cx.conf.sample)
db_path = "$db";
key_path = "$key";
create_key = true;           # first run creates the master key (0600)
HSS
if [ -n "$extra" ]; then
  cat "$extra" >> "$dir/hss_cx.conf"
fi
echo "$dir/freeDiameter.conf"
