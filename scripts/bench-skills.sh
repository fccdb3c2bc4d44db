#!/usr/bin/env bash
# The skills heatmap at scale: 15,000 employees × 30 competences (DigComp's
# 21 and 9 of the organisation's own), 120 units in two levels, 25 role
# profiles needing 12 competences each, every employee assessed on all 30.
# Seeding goes through the API (it is also a test of the write path: the
# kept gap sums), so the figures below come from Koers' own writes.
#
# Two rounds: the first round's assessments are moved 30 days back in the
# database (the API dates assessments today), then a third of the employees
# are assessed again in the second round. Measured once: the first trend
# read (which fixes the closed round) and an import of the whole register
# (check only, then for real with every tenth employee moved). Measured
# sequentially from one client (latency is what a person waits for),
# against the static accessibility page in the same run:
#   GET /api/v1/skill-gaps, /api/v1/skill-gaps/trend, /api/v1/skill-gaps/export
#   GET /skills/heatmap and /skills (the pages, HR logged in)
#   GET /toegankelijkheid   (reference)
#
#   scripts/bench-skills.sh        # prints a Markdown table for BENCHMARKS.md
#
# Environment: KOERS_BENCH_BACKENDS (default "sqlite"; add "postgres"),
# KOERS_BENCH_EMPLOYEES (15000), KOERS_BENCH_REQUESTS (50),
# KOERS_BENCH_PG (postgres://postgres@127.0.0.1:5432).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/koers-target}"
cargo build --release --bin koers >&2
bin="$CARGO_TARGET_DIR/release/koers"
backends="${KOERS_BENCH_BACKENDS:-sqlite}"
pg_base="${KOERS_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
password="bench-password-2026"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/koers-bench-skills-XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

for backend in $backends; do
  if [[ "$backend" == sqlite ]]; then
    url="sqlite://$tmp/bench.db"
  else
    psql -q "$pg_base/postgres" -c 'DROP DATABASE IF EXISTS koers_bench_skills' -c 'CREATE DATABASE koers_bench_skills' >/dev/null
    url="$pg_base/koers_bench_skills"
  fi
  "$bin" migrate --database "$url" >/dev/null
  "$bin" org create --name "Gemeente Meetstad" --slug meetstad --database "$url" >/dev/null
  for role in admin hr; do
    echo "$password" | "$bin" user create --org meetstad --email "$role@meetstad.example" --name "Bench $role" \
      --role "$role" --password-stdin --database "$url" >/dev/null
  done
  admin_token="$("$bin" token create --access write --org meetstad --user admin@meetstad.example --name bench --database "$url")"
  hr_token="$("$bin" token create --access write --org meetstad --user hr@meetstad.example --name bench --database "$url")"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  RUST_LOG=warn "$bin" serve --database "$url" --listen "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
  BACKEND="$backend" DATABASE="$url" PORT="$port" ADMIN_TOKEN="$admin_token" HR_TOKEN="$hr_token" PASSWORD="$password" \
    EMPLOYEES="${KOERS_BENCH_EMPLOYEES:-15000}" REQUESTS="${KOERS_BENCH_REQUESTS:-50}" \
    python3 scripts/lib/bench_skills.py
  kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  server_pid=""
done
