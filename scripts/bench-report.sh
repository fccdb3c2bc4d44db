#!/usr/bin/env bash
# The board report of the demo organisation: how long it takes to build
# (every module's view of one quarter, stored as a snapshot), to typeset
# as PDF, and to write as HTML. Release build, SQLite, the demo loaded by
# `koers serve --demo`; 20 sequential requests per line from one client
# after one warm-up, against the static accessibility page in the same run:
#   POST /api/v1/board-reports                      (build and store)
#   GET  /api/v1/board-reports/{id}/document?format=pdf
#   GET  /api/v1/board-reports/{id}/document?format=html
#   GET  /toegankelijkheid                          (reference)
#
#   scripts/bench-report.sh        # prints a Markdown table for BENCHMARKS.md
#
# Environment: KOERS_BENCH_REQUESTS (20).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/koers-target}"
cargo build --release --bin koers >&2
bin="$CARGO_TARGET_DIR/release/koers"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/koers-bench-report-XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

url="sqlite://$tmp/bench.db"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUST_LOG=warn "$bin" serve --demo --database "$url" --listen "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done
token="$("$bin" token create --access write --org voorbeeldstad --user executive@voorbeeldstad.example --name bench --database "$url")"
PORT="$port" TOKEN="$token" REQUESTS="${KOERS_BENCH_REQUESTS:-20}" python3 scripts/lib/bench_report.py
