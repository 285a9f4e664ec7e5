#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine:
# the system packages for the real-audio, terminal, PostgreSQL and network-namespace
# (iproute2; nftables and tcpdump for loss, spoofing and captures) tests, then the npm workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in pulseaudio pulseaudio-utils libasound2-plugins tmux postgresql iproute2 nftables tcpdump; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing system packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# better-sqlite3 and naudiodon compile from source here (about 90 s the first time).
# Packages already in the npm cache are not fetched again, so a re-run works offline.
npm ci --prefer-offline --no-audit --no-fund
