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

if [[ ! -x /usr/bin/chromium ]]; then
  echo "oidc-suite: installing chromium from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
[[ -d node_modules/oidc-provider ]] || npm ci --no-audit --no-fund

# A fresh key for this run only: nothing outlives the server.
KOERS_SECRET_KEY="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export KOERS_SECRET_KEY

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
trap koers_stop_server EXIT
trap 'exit 130' INT TERM
koers_start_server

status=0
KOERS_BASE_URL="$KOERS_URL" node tests/oidc/e2e.mjs || status=$?
if [[ $status -ne 0 ]]; then
  koers_server_log_tail 30
  exit 1
fi
