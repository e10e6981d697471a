#!/usr/bin/env bash
# Installs the npm dependencies of the JavaScript examples (examples/**/package-lock.json), each
# exactly as its lock file pins them, when they are missing or older than the lock. Idempotent.
#
# Packages are kept in an npm cache of ours, so a second install (a test's 'npm ci', CI after a
# session) reads them from there instead of the registry.
#
#   CALLHOOK_CACHE   cache folder (default: ~/.cache/callhook); npm's cache is its npm/ folder
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export npm_config_cache="${CALLHOOK_CACHE:-$HOME/.cache/callhook}/npm"
export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

command -v npm >/dev/null || { echo "install-node-examples: npm (with Node.js 18 or newer) is needed" >&2; exit 1; }
while IFS= read -r lock; do
  dir="$(dirname "$lock")"
  installed="$dir/node_modules/.package-lock.json"
  if [[ ! -f "$installed" || "$lock" -nt "$installed" ]]; then
    echo "install-node-examples: npm ci in ${dir#"$root"/}" >&2
    (cd "$dir" && npm ci --silent)
  fi
done < <(find "$root/examples" -name package-lock.json -not -path '*/node_modules/*' | sort)
