# shellcheck shell=bash
# What the browser suites need before they start: Debian's Chromium and
# the npm packages (playwright-core, axe-core, oidc-provider). Source this
# file, then call `koers_ensure_browser_tools <suite name>` from the
# repository root.

koers_ensure_browser_tools() {
  local suite="$1"
  if [[ ! -x /usr/bin/chromium ]]; then
    echo "$suite: installing chromium from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  [[ -d node_modules/playwright-core && -d node_modules/oidc-provider ]] ||
    npm ci --no-audit --no-fund
}
