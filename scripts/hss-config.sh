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
case "$threads" in ''|*[!0-9]*) echo "hss-config.sh: bad --threads '$threads'" >&2; exit 1 ;; esac
for v in "$dir" "$fdx" "$identity" "$realm" "$listen" "$db" "$key"; do
  case "$v" in *'|'*|*'"'*|*'&'*) echo "hss-config.sh: '|', '&' and '\"' are not allowed in '$v'" >&2; exit 1 ;; esac
done
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

template="$(cd "$(dirname "$0")/.." && pwd)/etc/freeDiameter.conf.in"
listen_line=
[ -n "$listen" ] && listen_line="ListenOn = \"$listen\";"
# the shipped template, with its @NAME@ fields filled in ('|' cannot occur
# in these values: paths, names and numbers checked above)
sed -e "s|@IDENTITY@|$identity|g" -e "s|@REALM@|$realm|g" \
    -e "s|@PORT@|$port|g" -e "s|@THREADS@|$threads|g" -e "s|@DIR@|$dir|g" \
    -e "s|@LISTEN@|$listen_line|g" -e "s|@FD_EXT_DIR@|$fdext|g" \
    -e "s|@FDX_DIR@|$fdx|g" "$template" > "$dir/freeDiameter.conf"

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
