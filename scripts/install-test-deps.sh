#!/usr/bin/env bash
# Installs what the test suite needs, when it is missing: Debian packages, then the npm packages
# of the JavaScript examples (scripts/install-node-examples.sh). Idempotent.
#
# Each entry: a Debian package and a file it installs, to tell whether it is there.
#   iso-codes        ISO 3166-2 region codes, checked against the federal district table
#   chromium         headless browser for the subscription page's browser tests
#   chromium-driver  its WebDriver (Selenium drives Debian's binaries, never a downloaded browser)
#   prometheus       a real Prometheus (and promtool) that scrapes the services and evaluates the dashboard's queries
#   docker-compose   validates docker/compose.yaml ('config' needs no Docker engine)
#   php-cli          runs the receiver guide's PHP signature check against real webhooks
#   python3          runs the receiver guide's Python signature check (standard library only)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

declare -A needs=(
  [iso-codes]=/usr/share/iso-codes/json/iso_3166-2.json
  [chromium]=/usr/bin/chromium
  [chromium-driver]=/usr/bin/chromedriver
  [prometheus]=/usr/bin/prometheus
  [docker-compose]=/usr/bin/docker-compose
  [php-cli]=/usr/bin/php
)
# Any python3 on the PATH will do (a pyenv one, say); Debian's only when there is none.
command -v python3 >/dev/null || needs[python3]=/usr/bin/python3

missing=()
for package in "${!needs[@]}"; do
  [[ -e "${needs[$package]}" ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exec "$here/install-node-examples.sh"
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-test-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian prometheus package starts a server on :9090 as a service; tests run their own.
if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null; then
  $sudo systemctl disable --now prometheus prometheus-node-exporter >/dev/null 2>&1 || true
fi
"$here/install-node-examples.sh"
