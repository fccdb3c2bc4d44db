#!/usr/bin/env bash
# Run the browser suite (tests/browser/suite.mjs) against a fresh demo server.
#
#   scripts/browser-suite.sh
#
# Installs Debian's Chromium when /usr/bin/chromium is missing and runs
# `npm ci` when node_modules is missing. Environment: see the header of
# tests/browser/suite.mjs (KOERS_ROLES, KOERS_MAX_PAGES, KOERS_SCREENSHOT_DIR)
# and scripts/lib/koers-server.sh (KOERS_BIN, KOERS_KEEP_TMP).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser-suite: installing chromium from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
[[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
trap koers_stop_server EXIT
trap 'exit 130' INT TERM
koers_start_server

status=0
KOERS_BASE_URL="$KOERS_URL" node tests/browser/suite.mjs || status=$?
if [[ $status -ne 0 ]]; then
  koers_server_log_tail 20
fi
exit $status
