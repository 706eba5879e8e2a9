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

# mermaid 12.3, its parser (and chevrotain, katex's commander) and @mermaid-js/examples declare
# Node >= 22: they run in the webviews' browser; Node only bundles them (and the browser tests read
# the examples), which works with Node 20. Their 25 EBADENGINE lines are folded into one note. Any other engine warning is printed as npm wrote it.
log=$(mktemp)
if ! npm ci --no-audit --no-fund >"$log" 2>&1; then cat "$log"; rm -f "$log"; exit 1; fi
awk '
  /EBADENGINE Unsupported engine \{/ { block = $0 "\n"; inblock = 1; next }
  inblock { block = block $0 "\n"; if ($0 ~ /EBADENGINE \}$/) { inblock = 0; if (block ~ /package: .(mermaid|@mermaid-js\/parser|@mermaid-js\/examples|chevrotain|commander)@/) browserOnly++; else printf "%s", block }; next }
  { print }
  END { if (browserOnly) print "note: " browserOnly " packages that run in the browser (mermaid, its parser, @mermaid-js/examples) declare Node >= 22; bundling and testing them with Node 20 works." }
' "$log"
rm -f "$log"
node scripts/code-server.mjs install
