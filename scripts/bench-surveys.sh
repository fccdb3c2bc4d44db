#!/usr/bin/env bash
# Survey results at scale: one wave of the pulse survey grown to 40 items
# (the 16 built in and 24 of the organisation's own), 15,000 respondents
# over 120 units in two levels. The organisation, units, items and wave are
# made through the API; the responses are written straight into SQLite by
# scripts/lib/bench_surveys.py, with the result sums the answer page keeps
# (answering through 15,000 one-time links
# would measure the answer page, not the results). Then 30 sequential
# requests per line from one client, after one warm-up, against the static
# accessibility page in the same run:
#   GET /api/v1/survey-waves/{id}/results   (all units × all dimensions)
#   GET /surveys/waves/{id}                 (the page, HR logged in)
#   GET /toegankelijkheid                   (reference)
#
#   scripts/bench-surveys.sh        # prints a Markdown table for BENCHMARKS.md
#
# Environment: KOERS_BENCH_RESPONDENTS (15000), KOERS_BENCH_REQUESTS (30),
# KOERS_BENCH_KEEP=1 keeps the database (to study query plans).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/koers-target}"
cargo build --release --bin koers >&2
bin="$CARGO_TARGET_DIR/release/koers"
password="bench-password-2026"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/koers-bench-surveys-XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [[ -n "${KOERS_BENCH_KEEP:-}" ]]; then echo "bench: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

url="sqlite://$tmp/bench.db"
"$bin" migrate --database "$url" >/dev/null
"$bin" org create --name "Gemeente Meetstad" --slug meetstad --database "$url" >/dev/null
echo "$password" | "$bin" user create --org meetstad --email "hr@meetstad.example" --name "Bench hr" \
  --role hr --password-stdin --database "$url" >/dev/null
echo "$password" | "$bin" user create --org meetstad --email "admin@meetstad.example" --name "Bench admin" \
  --role admin --password-stdin --database "$url" >/dev/null
admin_token="$("$bin" token create --access write --org meetstad --user admin@meetstad.example --name bench --database "$url")"
hr_token="$("$bin" token create --access write --org meetstad --user hr@meetstad.example --name bench --database "$url")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUST_LOG=warn "$bin" serve --database "$url" --listen "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done
DATABASE="$tmp/bench.db" PORT="$port" ADMIN_TOKEN="$admin_token" HR_TOKEN="$hr_token" PASSWORD="$password" \
  RESPONDENTS="${KOERS_BENCH_RESPONDENTS:-15000}" REQUESTS="${KOERS_BENCH_REQUESTS:-30}" \
  python3 scripts/lib/bench_surveys.py
