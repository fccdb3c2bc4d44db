#!/usr/bin/env bash
# Single sign-on end to end: a demo Koers server with a secret key, the npm
# `oidc-provider` (started by tests/oidc/e2e.mjs) and Chromium.
#
#   scripts/oidc-suite.sh
#
# Environment: KOERS_BIN, KOERS_KEEP_TMP (scripts/lib/koers-server.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=scripts/lib/browser-tools.sh
. "$root/scripts/lib/browser-tools.sh"
koers_ensure_browser_tools oidc-suite

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
# A fresh key for this run only: nothing outlives the server.
KOERS_SECRET_KEY="$("$KOERS_BIN" secret-key)"
export KOERS_SECRET_KEY
# The provider runs on this machine over plain http.
export KOERS_SSO_ALLOW_LOCAL_HTTP=true
trap koers_stop_server EXIT
trap 'exit 130' INT TERM
koers_start_server

status=0
KOERS_BASE_URL="$KOERS_URL" node tests/oidc/e2e.mjs || status=$?
if [[ $status -ne 0 ]]; then
  koers_server_log_tail 30
  exit 1
fi
