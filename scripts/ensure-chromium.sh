#!/bin/sh
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (playwright-core
# drives it; `npx playwright install` cannot download browsers here). Fast when already installed.
# Usage: scripts/ensure-chromium.sh    (CHROMIUM_PATH overrides the binary looked for)
set -eu

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available." >&2
  echo "Install Chromium by hand (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "ensure-chromium: installing $CHROMIUM needs root (or sudo); run: apt-get install -y chromium" >&2
    exit 1
  fi
fi

# Another process (e.g. the PostgreSQL test setup) may hold apt's locks: wait for them, and retry.
apt() {
  attempt=1
  while ! $SUDO apt-get -o DPkg::Lock::Timeout=120 "$@" >&2; do
    if [ "$attempt" -ge 3 ]; then
      echo "ensure-chromium: 'apt-get $*' failed $attempt times." >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 5
  done
}

echo "ensure-chromium: installing Debian's chromium package (one-time)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt update -qq
apt install -y -qq --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed." >&2
