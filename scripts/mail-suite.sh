#!/usr/bin/env bash
# Survey invitations over real SMTP: a demo server sends to Python's aiosmtpd
# (a full SMTP server writing a maildir), and scripts/lib/mail_suite.py
# checks what arrived against what the API said it sent.
#
#   scripts/mail-suite.sh
#
# Environment:
#   KOERS_CACHE  cache root for the virtualenv (default /root/.cache/koers)
#   KOERS_BIN, KOERS_HEALTH_TIMEOUT, KOERS_KEEP_TMP: see scripts/lib/koers-server.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv="${KOERS_CACHE:-/root/.cache/koers}/mail-venv"
req="$root/scripts/requirements-mail.txt"
if ! "$venv/bin/pip" freeze 2>/dev/null | diff -q - <(sort "$req") >/dev/null; then
  echo "mail suite: installing aiosmtpd into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
fi

# shellcheck source=scripts/lib/koers-server.sh
. "$root/scripts/lib/koers-server.sh"
smtp_pid=""
mail_tmp="$(mktemp -d "${TMPDIR:-/tmp}/koers-mail-XXXXXX")"
cleanup() {
  koers_stop_server
  [[ -n "$smtp_pid" ]] && kill "$smtp_pid" 2>/dev/null || true
  rm -rf "$mail_tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

smtp_port="$(koers_free_port)"
"$venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
  -c aiosmtpd.handlers.Mailbox "$mail_tmp/maildir" >"$mail_tmp/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 1 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port), 1)" 2>/dev/null && break
  sleep 0.2
done

export KOERS_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export KOERS_MAIL_FROM="Koers Voorbeeldstad <koers@voorbeeldstad.example>"
koers_start_server

email="mail-suite@voorbeeldstad.example"
"$KOERS_BIN" user create --email "$email" --name "Mail suite" --org voorbeeldstad --role hr \
  --database "$KOERS_DB" >/dev/null
token="$("$KOERS_BIN" token create --access write --org voorbeeldstad --user "$email" --name "mail suite" \
  --database "$KOERS_DB" | tr -d '\r\n')"

KOERS_TOKEN="$token" MAILDIR="$mail_tmp/maildir" python3 "$root/scripts/lib/mail_suite.py"
