#!/usr/bin/env bash
# Installs the Debian packages the test suite and the benchmarks need, when they are missing.
# Idempotent. With package names as arguments (e.g. 'nginx wrk', as './callhook bench' does),
# installs only those.
#
# Each entry: a Debian package and a file it installs, to tell whether it is there.
#   iso-codes        ISO 3166-2 region codes, checked against the federal district table
#   chromium         headless browser for the subscription page's browser tests
#   chromium-driver  its WebDriver (Selenium drives Debian's binaries, never a downloaded browser)
#   prometheus       a real Prometheus (and promtool) that scrapes the services and evaluates the dashboard's queries
#   docker-compose   validates docker/compose.yaml ('config' needs no Docker engine)
#   nginx            the benchmarks' receiver: an HTTP server outside the measured JVMs, counting requests
#   wrk              the benchmarks' HTTP limit: a keep-alive load generator against that nginx
set -euo pipefail

declare -A needs=(
  [iso-codes]=/usr/share/iso-codes/json/iso_3166-2.json
  [chromium]=/usr/bin/chromium
  [chromium-driver]=/usr/bin/chromedriver
  [prometheus]=/usr/bin/prometheus
  [docker-compose]=/usr/bin/docker-compose
  [nginx]=/usr/sbin/nginx
  [wrk]=/usr/bin/wrk
)

wanted=("$@")
if ((${#wanted[@]} == 0)); then
  wanted=("${!needs[@]}")
fi
missing=()
for package in "${wanted[@]}"; do
  [[ -n "${needs[$package]:-}" ]] || { echo "install-test-deps: unknown package '$package' (known: ${!needs[*]})" >&2; exit 2; }
  [[ -e "${needs[$package]}" ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
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
