#!/usr/bin/env bash
# Run the browser suite against a fresh demo server: first the crawl
# (tests/browser/suite.mjs), then the journeys (tests/browser/journeys.mjs)
# on the same server. Exits 0 only when both pass.
#
#   scripts/browser-suite.sh
#
# Installs Debian's Chromium when /usr/bin/chromium is missing and runs
# `npm ci` when node_modules is missing. Environment: see the header of
# tests/browser/suite.mjs (KOERS_ROLES, KOERS_MAX_PAGES, KOERS_SCREENSHOT_DIR),
# tests/browser/journeys.mjs (KOERS_JOURNEYS) and scripts/lib/koers-server.sh
# (KOERS_BIN, KOERS_KEEP_TMP).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=scripts/lib/browser-tools.sh
. "$root/scripts/lib/browser-tools.sh"
koers_ensure_browser_tools browser-suite

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
trap koers_stop_server EXIT
trap 'exit 130' INT TERM
koers_start_server

suite_status=0
KOERS_BASE_URL="$KOERS_URL" node tests/browser/suite.mjs || suite_status=$?
echo
echo "== journeys"
journeys_status=0
KOERS_BASE_URL="$KOERS_URL" node tests/browser/journeys.mjs || journeys_status=$?

if [[ $suite_status -ne 0 || $journeys_status -ne 0 ]]; then
  echo "browser-suite: suite.mjs exit $suite_status, journeys.mjs exit $journeys_status" >&2
  koers_server_log_tail 20
  exit 1
fi
