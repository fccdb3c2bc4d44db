#!/usr/bin/env bash
# Lint the served OpenAPI document against our selection of the API Design
# Rules (api-rules/adr.spectral.yaml).
#
#   scripts/api-lint.sh              start a demo server, fetch /api/v1/openapi.json, lint it
#   scripts/api-lint.sh FILE|URL     lint FILE or URL instead (no server)
#   scripts/api-lint.sh --self-test  check the ruleset against api-rules/fixtures/
#
# Needs node_modules (runs `npm ci` when it is missing). Exit status is non-zero
# on any error-severity finding; warnings are printed but do not fail.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ruleset=api-rules/adr.spectral.yaml

[[ -d node_modules/@stoplight/spectral-cli ]] || npm ci --no-audit --no-fund

spectral() { node_modules/.bin/spectral "$@"; }

lint() {
  spectral lint --fail-severity=error --display-only-failures=false -r "$ruleset" "$1"
}

if [[ "${1:-}" == --self-test ]]; then
  echo "api-lint: good fixture must pass"
  lint api-rules/fixtures/good.openapi.json
  echo "api-lint: bad fixture must fail with each rule"
  out="$(spectral lint -f json --fail-severity=error -r "$ruleset" api-rules/fixtures/bad.openapi.json || true)"
  missing=0
  for rule in adr-info-contact adr-uri-version adr-no-trailing-slash adr-path-segments-kebab-case \
              adr-operation-summary adr-operation-tags adr-operation-id adr-version-header \
              adr-problem-details adr-http-methods adr-naming-resources; do
    if ! grep -q "\"code\": \"$rule\"" <<<"$out"; then
      echo "api-lint: self-test: $rule did not fire on the bad fixture" >&2
      missing=1
    fi
  done
  [[ $missing -eq 0 ]] && echo "api-lint: self-test passed"
  exit $missing
fi

if [[ $# -ge 1 ]]; then
  lint "$1"
  exit
fi

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
trap koers_stop_server EXIT
trap 'exit 130' INT TERM
koers_start_server

doc="$KOERS_TMP/openapi.json"
if ! curl -fsS --max-time 30 -o "$doc" "$KOERS_URL/api/v1/openapi.json"; then
  echo "api-lint: could not fetch $KOERS_URL/api/v1/openapi.json" >&2
  koers_server_log_tail 30
  exit 1
fi
echo "api-lint: linting /api/v1/openapi.json ($(wc -c <"$doc") bytes) with $ruleset"
if [[ -n "${KOERS_OPENAPI_OUT:-}" ]]; then cp "$doc" "$KOERS_OPENAPI_OUT"; fi
lint "$doc"
