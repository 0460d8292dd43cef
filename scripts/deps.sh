#!/usr/bin/env bash
# deps.sh - install every Debian package webrtc-hss needs to build, run and
# test (Debian bookworm, as root). Skips apt entirely when all are present.
set -euo pipefail

PKGS=(
  cmake make gcc pkg-config
  freediameterd freediameter-extensions libfreediameter-dev
  libssl-dev openssl libsqlite3-dev sqlite3 libconfig-dev libxml2-dev
  libxml2-utils libcmocka-dev tshark python3 python3-cryptography procps
  iproute2 clang-format
  kamailio kamailio-ims-modules kamailio-presence-modules sip-tester util-linux
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}; run as root (or install them)" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
