# shellcheck shell=bash
# Start and stop a throw-away Koers server for the dev/CI scripts.
# Source this file, then:
#
#   koers_start_server        # sets KOERS_URL, KOERS_PORT, KOERS_DB, KOERS_TMP, KOERS_PID
#   trap koers_stop_server EXIT
#
# Environment:
#   KOERS_BIN             the binary (default /root/.cache/koers-target/debug/koers)
#   KOERS_HEALTH_TIMEOUT  seconds to wait for GET /healthz (default 60)
#   KOERS_SERVE_ARGS      extra arguments for `koers serve` (default --demo)
#   KOERS_KEEP_TMP=1      keep the temp dir (database, server log) after stopping

KOERS_BIN="${KOERS_BIN:-/root/.cache/koers-target/debug/koers}"

koers_free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

koers_start_server() {
  if [[ ! -x "$KOERS_BIN" ]]; then
    echo "koers: binary not found at $KOERS_BIN (build it, or set KOERS_BIN)" >&2
    return 1
  fi
  KOERS_TMP="$(mktemp -d "${TMPDIR:-/tmp}/koers-XXXXXX")"
  KOERS_PORT="$(koers_free_port)"
  KOERS_DB="sqlite://$KOERS_TMP/koers.db"
  KOERS_URL="http://127.0.0.1:$KOERS_PORT"
  KOERS_LOG="$KOERS_TMP/server.log"
  local timeout="${KOERS_HEALTH_TIMEOUT:-60}"
  # shellcheck disable=SC2086 # KOERS_SERVE_ARGS is a list of words on purpose
  "$KOERS_BIN" serve ${KOERS_SERVE_ARGS:---demo} \
    --database "$KOERS_DB" --listen "127.0.0.1:$KOERS_PORT" \
    >"$KOERS_LOG" 2>&1 &
  KOERS_PID=$!
  export KOERS_URL KOERS_PORT KOERS_DB KOERS_TMP KOERS_PID KOERS_LOG

  local start=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$KOERS_URL/healthz" 2>/dev/null; do
    if ! kill -0 "$KOERS_PID" 2>/dev/null; then
      echo "koers: server exited before /healthz answered; last lines of its log:" >&2
      tail -n 40 "$KOERS_LOG" | sed 's/\x1b\[[0-9;]*m//g' >&2
      return 1
    fi
    if (( SECONDS - start >= timeout )); then
      echo "koers: /healthz did not answer 200 within ${timeout}s; last lines of the log:" >&2
      tail -n 40 "$KOERS_LOG" | sed 's/\x1b\[[0-9;]*m//g' >&2
      return 1
    fi
    sleep 0.25
  done
  echo "koers: server up at $KOERS_URL (pid $KOERS_PID, $((SECONDS - start))s, log $KOERS_LOG)" >&2
}

koers_stop_server() {
  if [[ -n "${KOERS_PID:-}" ]] && kill -0 "$KOERS_PID" 2>/dev/null; then
    kill "$KOERS_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$KOERS_PID" 2>/dev/null && (( waited < 40 )); do
      sleep 0.25
      waited=$((waited + 1))
    done
    kill -0 "$KOERS_PID" 2>/dev/null && kill -9 "$KOERS_PID" 2>/dev/null
    wait "$KOERS_PID" 2>/dev/null || true
  fi
  KOERS_PID=
  if [[ -n "${KOERS_TMP:-}" && -d "$KOERS_TMP" ]]; then
    if [[ "${KOERS_KEEP_TMP:-0}" == 1 ]]; then
      echo "koers: kept $KOERS_TMP" >&2
    else
      rm -rf "$KOERS_TMP"
    fi
  fi
}

# Print the server log's error and warning lines, without colour codes.
koers_server_log_problems() {
  [[ -n "${KOERS_LOG:-}" && -f "$KOERS_LOG" ]] || return 0
  local lines
  lines="$(sed 's/\x1b\[[0-9;]*m//g' "$KOERS_LOG" | grep -E '(ERROR|WARN)' | tail -n "${1:-30}" || true)"
  [[ -n "$lines" ]] || return 0
  echo "--- errors and warnings in the server log ---" >&2
  echo "$lines" >&2
}

# Print the last lines of the server log (for failures).
koers_server_log_tail() {
  [[ -n "${KOERS_LOG:-}" && -f "$KOERS_LOG" ]] || return 0
  echo "--- last ${1:-30} lines of the server log ---" >&2
  tail -n "${1:-30}" "$KOERS_LOG" | sed 's/\x1b\[[0-9;]*m//g' >&2
}
