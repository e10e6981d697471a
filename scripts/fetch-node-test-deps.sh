#!/usr/bin/env bash
# Installs the npm packages the tests run with Node.js into a cache and prints their node_modules
# folder. Today one: standardwebhooks (Svix's reference library), the independent verifier that
# GetSignatureIT checks GET webhook signatures with. Pinned by dispatcher-worker/src/test/node's
# package-lock.json; the cache is keyed by that file, so a changed lock installs afresh.
#
#   CALLHOOK_CACHE   cache folder (default: ~/.cache/callhook)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$root/dispatcher-worker/src/test/node"
key=$(cat "$spec/package.json" "$spec/package-lock.json" | sha256sum | cut -c1-16)
cache="${CALLHOOK_CACHE:-$HOME/.cache/callhook}/node-test-deps/$key"

if [[ -f "$cache/node_modules/.installed" ]]; then
  echo "$cache/node_modules"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-node-test-deps: npm is needed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$spec/package.json" "$spec/package-lock.json" "$work/"
(cd "$work" && npm ci --silent --no-audit --no-fund --ignore-scripts >/dev/null)
touch "$work/node_modules/.installed"
mkdir -p "$(dirname "$cache")"
# Move into place only when whole, so an interrupted install is never taken for a finished one.
rm -rf "$cache"
mv "$work" "$cache"
trap - EXIT
echo "$cache/node_modules"
