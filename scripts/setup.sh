#!/usr/bin/env bash
# Installs everything the product and its tests need on a fresh Debian machine (run as root, or
# with sudo available): Debian packages, the npm dependencies, and code-server (a real VS Code,
# cached outside the project).
set -euo pipefail
cd "$(dirname "$0")/.."

# libkrb5-dev and ripgrep: code-server's install; chromium: the browser tests drive it;
# units: GNU units, the reference the estimate tests compare with; python3-simpy: the gateway benchmark's peer.
packages=(libkrb5-dev ripgrep chromium units python3-simpy)
missing=()
# dpkg -s also succeeds for a removed package whose config files remain: ask for the installed state.
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
node scripts/code-server.mjs install
