#!/usr/bin/env bash
# Installs what the test suite and the benchmarks need, when it is missing: Debian packages, then
# the npm packages of the JavaScript examples (scripts/install-node-examples.sh). Idempotent.
# With Debian package names as arguments (e.g. 'nginx wrk', as './callhook bench' does), installs
# only those.
#
# Each entry: a Debian package and a file it installs, to tell whether it is there.
#   iso-codes        ISO 3166-2 region codes, checked against the federal district table
#   chromium         headless browser for the subscription page's browser tests
#   chromium-driver  its WebDriver (Selenium drives Debian's binaries, never a downloaded browser)
#   prometheus       a real Prometheus (and promtool) that scrapes the services and evaluates the dashboard's queries
#   docker-compose   validates docker/compose.yaml ('config' needs no Docker engine)
#   php-cli          runs the receiver guide's PHP signature check against real webhooks
#   python3          runs the receiver guide's Python signature check (standard library only)
#   nginx            the benchmarks' receiver: an HTTP server outside the measured JVMs, counting requests
#   wrk              the benchmarks' HTTP limit: a keep-alive load generator against that nginx
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

declare -A needs=(
  [iso-codes]=/usr/share/iso-codes/json/iso_3166-2.json
  [chromium]=/usr/bin/chromium
  [chromium-driver]=/usr/bin/chromedriver
  [prometheus]=/usr/bin/prometheus
  [docker-compose]=/usr/bin/docker-compose
  [php-cli]=/usr/bin/php
  [nginx]=/usr/sbin/nginx
  [wrk]=/usr/bin/wrk
)
# Any python3 on the PATH will do (a pyenv one, say); Debian's only when there is none.
command -v python3 >/dev/null || needs[python3]=/usr/bin/python3

wanted=("$@")
if ((${#wanted[@]} == 0)); then
  wanted=("${!needs[@]}")
fi
missing=()
for package in "${wanted[@]}"; do
  [[ -n "${needs[$package]:-}" ]] || { echo "install-test-deps: unknown package '$package' (known: ${!needs[*]})" >&2; exit 2; }
  [[ -e "${needs[$package]}" ]] || missing+=("$package")
done
# The examples' npm packages come with the whole set (./callhook test), not with a named few.
node_examples() {
  if (($# == 0)); then
    "$here/install-node-examples.sh"
  fi
}
if ((${#missing[@]} == 0)); then
  node_examples "$@"
  exit 0
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
# Likewise Debian's nginx starts a server on :80; the benchmarks run their own, in the foreground.
if [[ " ${missing[*]} " == *" nginx "* ]]; then
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
  else
    $sudo service nginx stop >/dev/null 2>&1 || true
  fi
fi
node_examples "$@"
